/* fuzz_checkpoint_read: the tensor-bundle reader (the checkpoint side of TFC_RestoreVariables,
 * RestoreV2 and SavedModel loading) on a forged checkpoint. The input is framed as
 *   uint32 little-endian n | n bytes: <prefix>.index | the rest: <prefix>.data-00000-of-<num_shards>
 * (n is clamped to what is there). Every tensor the index lists is looked up, read and read raw;
 * any tensor returned must have the size its dtype and shape imply. */
#include "core/alloc.h"
#include "core/tensor.h"
#include "fuzz_util.h"
#include "io/bundle.h"

static void read_tensor(tfc_bundle_reader *r, const char *name)
{
    TF_Status *st = TF_NewStatus();
    TF_DataType dt;
    int64_t dims[TFC_MAX_RANK];
    int nd = 0;
    tfc_bundle_lookup(r, name, &dt, dims, &nd, st);
    TF_Tensor *t = NULL;
    if (tfc_bundle_read(r, name, &t, st) == TF_OK) {
        if (!t) abort();
        if (TF_TensorType(t) != TF_STRING) {
            const volatile unsigned char *p = TF_TensorData(t);
            unsigned sum = 0;
            for (size_t i = 0; i < TF_TensorByteSize(t); i++) sum += p[i];
            (void)sum;
        }
        TF_DeleteTensor(t);
    } else if (t) {
        abort(); /* no tensor on error */
    }
    uint8_t *data = NULL, *entry = NULL;
    size_t len = 0, entry_len = 0;
    if (tfc_bundle_read_raw(r, name, &data, &len, &entry, &entry_len, st) == TF_OK) {
        const volatile uint8_t *p = data;
        unsigned sum = 0;
        for (size_t i = 0; i < len; i++) sum += p[i];
        for (size_t i = 0; i < entry_len; i++) sum += entry[i];
        (void)sum;
    }
    tfc_free(data);
    tfc_free(entry);
    TF_DeleteStatus(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4) return 0;
    size_t n = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
    if (n > size - 4) n = size - 4;
    char prefix[512], index[600];
    fuzz_path(prefix, sizeof prefix, "ckpt");
    snprintf(index, sizeof index, "%s.index", prefix);
    fuzz_write(index, data + 4, n);
    TF_Status *st = TF_NewStatus();
    tfc_bundle_reader *r = NULL;
    if (tfc_bundle_reader_open(prefix, &r, st) == TF_OK) {
        /* Only shard 0 exists: entries in other shards must fail cleanly (NOT_FOUND). */
        char *dpath = tfc_bundle_data_path(prefix, 0, tfc_bundle_num_shards(r));
        if (!dpath) abort();
        fuzz_write(dpath, data + 4 + n, size - 4 - n);
        for (int i = 0; i < tfc_bundle_num_tensors(r); i++) read_tensor(r, tfc_bundle_tensor_name(r, i));
        read_tensor(r, "no such tensor");
        tfc_bundle_reader_free(r);
        unlink(dpath);
        tfc_free(dpath);
    } else if (r) {
        abort();
    }
    unlink(index);
    TF_DeleteStatus(st);
    return 0;
}

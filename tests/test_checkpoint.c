/* test_checkpoint: the LevelDB table, the tensor bundle (TensorFlow-written fixtures from
 * tools/gen_checkpoint_fixtures.py, corruption, atomic saves), the checkpoint ops and
 * TFC_SaveVariables / TFC_RestoreVariables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/alloc.h"
#include "core/tensor.h"
#include "io/bundle.h"
#include "io/table.h"
#include "tensor_bundle.pb-c.h"
#include "tfc/c_api.h"
#include "tfc/checkpoint.h"
#include "tfc/tstring.h"
#include "graph_util.h"

static char tmpdir[64];
static char fixdir[4096];

static int setup(void **state)
{
    strcpy(tmpdir, "/tmp/tfc_ckpt_XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    const char *d = getenv("TFC_TEST_DATA");
    snprintf(fixdir, sizeof fixdir, "%s/checkpoint", d ? d : TFC_TEST_DATA_DIR);
    return 0;
}

static void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        rm_tree(p);
    }
    closedir(d);
    rmdir(path);
}

static int teardown(void **state)
{
    rm_tree(tmpdir);
    return 0;
}

static char *path_of(char *buf, size_t n, const char *dir, const char *name)
{
    int len = snprintf(buf, n, "%s/%s", dir, name);
    assert_true(len >= 0 && (size_t)len < n); /* a test path never needs truncating */
    return buf;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
    if (d) closedir(d);
    return n;
}

static void copy_file(const char *src, const char *dst)
{
    uint8_t *data;
    size_t len;
    TF_Status *st = TF_NewStatus();
    assert_int_equal(tfc_read_file(src, &data, &len, st), TF_OK);
    FILE *f = fopen(dst, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    tfc_free(data);
    TF_DeleteStatus(st);
}

/* ---- table ---- */

static void table_roundtrip(int compress)
{
    TF_Status *st = TF_NewStatus();
    tfc_table_builder *b = tfc_table_builder_new(256, compress);
    char key[32], val[64];
    for (int i = 0; i < 500; i++) {
        int kl = snprintf(key, sizeof key, "key/%06d", i);
        int vl = snprintf(val, sizeof val, "value value value value %d", i * 3);
        assert_int_equal(tfc_table_builder_add(b, key, (size_t)kl, val, (size_t)vl, st), TF_OK);
    }
    assert_int_equal(tfc_table_builder_add(b, "key/000001", 10, "x", 1, st), TF_INVALID_ARGUMENT);
    tfc_status_clear(st);
    uint8_t *data;
    size_t len;
    assert_int_equal(tfc_table_builder_finish(b, &data, &len, st), TF_OK);
    tfc_table *t;
    assert_int_equal(tfc_table_parse(data, len, "mem", &t, st), TF_OK);
    assert_int_equal(t->n, 500);
    assert_true(t->n_blocks > 10);
    if (compress) assert_true(t->n_compressed > 10);
    else assert_int_equal(t->n_compressed, 0);
    for (int i = 0; i < 500; i += 37) {
        int kl = snprintf(key, sizeof key, "key/%06d", i);
        int vl = snprintf(val, sizeof val, "value value value value %d", i * 3);
        const tfc_table_entry *e = tfc_table_find(t, key, (size_t)kl);
        assert_non_null(e);
        assert_int_equal(e->value_len, vl);
        assert_memory_equal(e->value, val, (size_t)vl);
    }
    assert_null(tfc_table_find(t, "key/", 4));
    tfc_table_free(t);
    /* every truncation and every single-byte flip: an error or the same entries, never a crash */
    for (size_t cut = 0; cut < len; cut += 1 + cut / 8) {
        assert_int_equal(tfc_table_parse(data, cut, "mem", &t, st), TF_DATA_LOSS);
        tfc_status_clear(st);
    }
    for (size_t i = 0; i < len; i++) {
        data[i] ^= 0x40;
        TF_Code rc = tfc_table_parse(data, len, "mem", &t, st);
        if (rc == TF_OK) {
            assert_int_equal(t->n, 500);
            tfc_table_free(t);
        } else {
            assert_int_equal(rc, TF_DATA_LOSS);
            assert_non_null(strstr(TF_Message(st), "mem"));
        }
        tfc_status_clear(st);
        data[i] ^= 0x40;
    }
    tfc_free(data);
    TF_DeleteStatus(st);
}

static void test_table_roundtrip(void **state) { table_roundtrip(0); }
static void test_table_roundtrip_snappy(void **state) { table_roundtrip(1); }

static void test_table_empty(void **state)
{
    TF_Status *st = TF_NewStatus();
    uint8_t *data;
    size_t len;
    assert_int_equal(tfc_table_builder_finish(tfc_table_builder_new(0, 0), &data, &len, st), TF_OK);
    tfc_table *t;
    assert_int_equal(tfc_table_parse(data, len, "mem", &t, st), TF_OK);
    assert_int_equal(t->n, 0);
    tfc_table_free(t);
    tfc_free(data);
    TF_DeleteStatus(st);
}

/* ---- TensorFlow's checkpoints ---- */

static const char *const basic_names[] = { "bool", "empty", "f32", "f64", "i32", "i64", "scalar", "str" };

static void check_shape(const TF_Tensor *t, TF_DataType dt, int nd, int64_t d0, int64_t d1)
{
    assert_int_equal(t->dtype, dt);
    assert_int_equal(t->ndims, nd);
    if (nd > 0) assert_int_equal(t->dims[0], d0);
    if (nd > 1) assert_int_equal(t->dims[1], d1);
}

/* Asserts that tensor `name` holds basic's value (tools/gen_checkpoint_fixtures.py). */
static void check_basic_value(const char *name, const TF_Tensor *t)
{
    const void *d = tfc_tensor_data(t);
    if (!strcmp(name, "f32")) {
        check_shape(t, TF_FLOAT, 2, 2, 3);
        for (int i = 0; i < 6; i++) assert_true(((const float *)d)[i] == i * 0.5f - 1);
    } else if (!strcmp(name, "f64")) {
        check_shape(t, TF_DOUBLE, 1, 3, 0);
        for (int i = 0; i < 3; i++) assert_true(((const double *)d)[i] == i / 3.0);
    } else if (!strcmp(name, "i32")) {
        check_shape(t, TF_INT32, 1, 4, 0);
        for (int i = 0; i < 4; i++) assert_int_equal(((const int32_t *)d)[i], i * i - 5);
    } else if (!strcmp(name, "i64")) {
        check_shape(t, TF_INT64, 2, 2, 2);
        for (int i = 0; i < 4; i++) assert_true(((const int64_t *)d)[i] == (int64_t)(i - 2) * ((int64_t)1 << 40));
    } else if (!strcmp(name, "bool")) {
        check_shape(t, TF_BOOL, 1, 3, 0);
        for (int i = 0; i < 3; i++) assert_int_equal(((const uint8_t *)d)[i], i % 2 == 0);
    } else if (!strcmp(name, "str")) {
        check_shape(t, TF_STRING, 1, 3, 0);
        const TF_TString *s = d;
        assert_int_equal(TF_TString_GetSize(&s[0]), 0);
        assert_int_equal(TF_TString_GetSize(&s[1]), 5);
        assert_memory_equal(TF_TString_GetDataPointer(&s[1]), "hello", 5);
        assert_int_equal(TF_TString_GetSize(&s[2]), 200);
        for (int i = 0; i < 200; i++) assert_int_equal(TF_TString_GetDataPointer(&s[2])[i], 'x');
    } else if (!strcmp(name, "scalar")) {
        check_shape(t, TF_FLOAT, 0, 0, 0);
        assert_true(*(const float *)d == 3.25f);
    } else if (!strcmp(name, "empty")) {
        check_shape(t, TF_FLOAT, 2, 0, 3);
    } else {
        fail_msg("unexpected tensor %s", name);
    }
}

/* Opens the checkpoint at prefix and reads every basic tensor: returns the first error code (its
 * message must name `file`), else checks all values and returns TF_OK. */
static TF_Code read_basic(const char *prefix, const char *file)
{
    TF_Status *st = TF_NewStatus();
    tfc_bundle_reader *r;
    TF_Code rc = tfc_bundle_reader_open(prefix, &r, st);
    for (int i = 0; !rc && i < 8; i++) {
        TF_Tensor *t;
        rc = tfc_bundle_read(r, basic_names[i], &t, st);
        if (!rc) check_basic_value(basic_names[i], t);
        TF_DeleteTensor(t);
    }
    if (!rc) assert_int_equal(tfc_bundle_num_tensors(r), 8);
    if (rc && file && !strstr(TF_Message(st), file)) fail_msg("'%s' does not name %s", TF_Message(st), file);
    tfc_bundle_reader_free(r);
    TF_DeleteStatus(st);
    return rc;
}

static void test_tf_basic(void **state)
{
    char p[4200];
    assert_int_equal(read_basic(path_of(p, sizeof p, fixdir, "basic"), NULL), TF_OK);
    TF_Status *st = TF_NewStatus();
    tfc_bundle_reader *r;
    assert_int_equal(tfc_bundle_reader_open(p, &r, st), TF_OK);
    TF_Tensor *t = NULL;
    assert_int_equal(tfc_bundle_read(r, "nope", &t, st), TF_NOT_FOUND);
    assert_non_null(strstr(TF_Message(st), "nope"));
    TF_DataType dt;
    int64_t dims[TFC_MAX_RANK];
    int nd;
    assert_int_equal(tfc_bundle_lookup(r, "f32", &dt, dims, &nd, st), TF_OK);
    assert_int_equal(dt, TF_FLOAT);
    assert_int_equal(nd, 2);
    tfc_bundle_reader_free(r);
    assert_int_equal(tfc_bundle_reader_open(path_of(p, sizeof p, tmpdir, "missing"), &r, st), TF_NOT_FOUND);
    TF_DeleteStatus(st);
}

static void test_tf_snappy_index(void **state)
{
    char p[4200];
    TF_Status *st = TF_NewStatus();
    tfc_table *t;
    assert_int_equal(tfc_table_open(path_of(p, sizeof p, fixdir, "snappy.index"), &t, st), TF_OK);
    assert_true(t->n_compressed >= 2); /* the data block and the index block */
    tfc_table_free(t);
    assert_int_equal(read_basic(path_of(p, sizeof p, fixdir, "snappy"), NULL), TF_OK);
    TF_DeleteStatus(st);
}

static void test_tf_many_blocks(void **state)
{
    char p[4200];
    TF_Status *st = TF_NewStatus();
    tfc_table *t;
    assert_int_equal(tfc_table_open(path_of(p, sizeof p, fixdir, "many.index"), &t, st), TF_OK);
    assert_true(t->n_blocks >= 2);
    assert_int_equal(t->n, 15001);
    tfc_table_free(t);
    tfc_bundle_reader *r;
    assert_int_equal(tfc_bundle_reader_open(path_of(p, sizeof p, fixdir, "many"), &r, st), TF_OK);
    assert_int_equal(tfc_bundle_num_tensors(r), 15000);
    for (int i = 0; i < 15000; i += 1 + i / 3) {
        char name[16];
        snprintf(name, sizeof name, "v%05d", i);
        TF_Tensor *v;
        assert_int_equal(tfc_bundle_read(r, name, &v, st), TF_OK);
        assert_int_equal(v->ndims, 0);
        assert_int_equal(*(int32_t *)tfc_tensor_data(v), i * 7);
        TF_DeleteTensor(v);
    }
    TF_Tensor *v;
    assert_int_equal(tfc_bundle_read(r, "v14999", &v, st), TF_OK);
    assert_int_equal(*(int32_t *)tfc_tensor_data(v), 14999 * 7);
    TF_DeleteTensor(v);
    tfc_bundle_reader_free(r);
    TF_DeleteStatus(st);
}

static void test_regression_model_variables(void **state)
{
    char p[4200];
    path_of(p, sizeof p, fixdir, "../../../../shared/data/tf-rust-fixtures/test_resources/regression-model/"
            "variables/variables");
    struct stat sb;
    char idx[4300];
    snprintf(idx, sizeof idx, "%s.index", p);
    if (stat(idx, &sb) != 0) {
        printf("skipped: %s not present\n", idx);
        skip();
    }
    TF_Status *st = TF_NewStatus();
    tfc_bundle_reader *r;
    assert_int_equal(tfc_bundle_reader_open(p, &r, st), TF_OK);
    TF_Tensor *b, *w;
    assert_int_equal(tfc_bundle_read(r, "b", &b, st), TF_OK);
    assert_int_equal(tfc_bundle_read(r, "w", &w, st), TF_OK);
    assert_int_equal(b->dtype, TF_FLOAT);
    assert_true(*(float *)tfc_tensor_data(b) == 0.0f);
    assert_true(*(float *)tfc_tensor_data(w) == (float)-0.8578622341156006);
    TF_DeleteTensor(b);
    TF_DeleteTensor(w);
    tfc_bundle_reader_free(r);
    TF_DeleteStatus(st);
}

/* Every byte of basic's index and data flipped, and both cut at every length: DATA_LOSS naming the
 * file, or (a flip in bytes nothing reads, such as footer padding) the right values. */
static void test_corruption(void **state)
{
    char src[4200], prefix[4200], idx[4300], dat[4300];
    path_of(prefix, sizeof prefix, tmpdir, "c");
    snprintf(idx, sizeof idx, "%s.index", prefix);
    snprintf(dat, sizeof dat, "%s.data-00000-of-00001", prefix);
    const char *files[2] = { idx, dat }, *names[2] = { "c.index", "c.data-00000-of-00001" };
    const char *srcs[2] = { "basic.index", "basic.data-00000-of-00001" };
    int errors = 0, oks = 0;
    for (int f = 0; f < 2; f++) {
        uint8_t *data;
        size_t len;
        TF_Status *st = TF_NewStatus();
        assert_int_equal(tfc_read_file(path_of(src, sizeof src, fixdir, srcs[f]), &data, &len, st), TF_OK);
        copy_file(path_of(src, sizeof src, fixdir, srcs[1 - f]), files[1 - f]);
        for (size_t i = 0; i <= 2 * len; i++) {
            FILE *o = fopen(files[f], "wb");
            if (i < len) data[i] ^= 0x21;
            fwrite(data, 1, i < len ? len : i - len, o);
            fclose(o);
            TF_Code rc = read_basic(prefix, names[f]);
            if (i < len) data[i] ^= 0x21;
            if (rc == TF_OK && ((f == 0 && i < len) || i == 2 * len)) {
                oks++;
                continue;
            }
            if (rc != TF_DATA_LOSS) fail_msg("%s byte %zu: code %d", names[f], i, rc);
            errors++;
        }
        tfc_free(data);
        TF_DeleteStatus(st);
    }
    printf("corruption: %d DATA_LOSS, %d unaffected\n", errors, oks);
    assert_true(errors > 1000);
}

/* Writes prefix.index with basic's header and one crafted entry "t", plus a 16-byte data file. */
static void write_crafted(const char *prefix, int dtype, int64_t dim, int64_t offset, int64_t size)
{
    Tensorflow__BundleHeaderProto h = TENSORFLOW__BUNDLE_HEADER_PROTO__INIT;
    h.num_shards = 1;
    Tensorflow__TensorShapeProto__Dim d = TENSORFLOW__TENSOR_SHAPE_PROTO__DIM__INIT, *dp = &d;
    d.size = dim;
    Tensorflow__TensorShapeProto shape = TENSORFLOW__TENSOR_SHAPE_PROTO__INIT;
    shape.n_dim = 1;
    shape.dim = &dp;
    Tensorflow__BundleEntryProto e = TENSORFLOW__BUNDLE_ENTRY_PROTO__INIT;
    e.dtype = (Tensorflow__DataType)dtype;
    e.shape = &shape;
    e.offset = offset;
    e.size = size;
    uint8_t hb[64], eb[128];
    size_t hl = tensorflow__bundle_header_proto__pack(&h, hb), el = tensorflow__bundle_entry_proto__pack(&e, eb);
    TF_Status *st = TF_NewStatus();
    tfc_table_builder *b = tfc_table_builder_new(0, 0);
    assert_int_equal(tfc_table_builder_add(b, "", 0, hb, hl, st), TF_OK);
    assert_int_equal(tfc_table_builder_add(b, "t", 1, eb, el, st), TF_OK);
    uint8_t *data;
    size_t len;
    assert_int_equal(tfc_table_builder_finish(b, &data, &len, st), TF_OK);
    char p[4300];
    snprintf(p, sizeof p, "%s.index", prefix);
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    snprintf(p, sizeof p, "%s.data-00000-of-00001", prefix);
    f = fopen(p, "wb");
    fwrite("0123456789abcdef", 1, 16, f);
    fclose(f);
    tfc_free(data);
    TF_DeleteStatus(st);
}

/* Entries whose shape, size or location disagree with each other or the file: DATA_LOSS before any
 * allocation sized by them. */
static void test_crafted_entries(void **state)
{
    char p[4200];
    path_of(p, sizeof p, tmpdir, "crafted");
    const struct { int dtype; int64_t dim, offset, size; TF_Code want; } cases[] = {
        { TF_FLOAT, 4, 0, 16, TF_DATA_LOSS },                    /* bytes fine, checksum 0 is wrong */
        { TF_FLOAT, (int64_t)1 << 40, 0, 16, TF_DATA_LOSS },     /* shape needs 4 TiB */
        { TF_FLOAT, INT64_MAX / 2, 0, 16, TF_DATA_LOSS },        /* byte size overflows */
        { TF_FLOAT, 4, 8, 16, TF_DATA_LOSS },                    /* past the end of the data file */
        { TF_FLOAT, 4, INT64_MAX - 4, 16, TF_DATA_LOSS },        /* offset + size overflows */
        { TF_FLOAT, -1, 0, 16, TF_DATA_LOSS },                   /* negative dim */
        { TF_STRING, 1000000000, 0, 16, TF_DATA_LOSS },          /* 1e9 strings in 16 bytes */
        { TF_STRING, 2, 0, 16, TF_DATA_LOSS },                   /* lengths do not add up */
        { TF_RESOURCE, 1, 0, 16, TF_DATA_LOSS },
        { 999, 1, 0, 16, TF_DATA_LOSS },
    };
    TF_Status *st = TF_NewStatus();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_crafted(p, cases[i].dtype, cases[i].dim, cases[i].offset, cases[i].size);
        tfc_bundle_reader *r;
        assert_int_equal(tfc_bundle_reader_open(p, &r, st), TF_OK);
        TF_Tensor *t = NULL;
        TF_Code rc = tfc_bundle_read(r, "t", &t, st);
        if (rc != cases[i].want) fail_msg("case %zu: code %d (%s)", i, rc, TF_Message(st));
        assert_null(t);
        assert_true(strstr(TF_Message(st), "crafted") || strstr(TF_Message(st), "'t'"));
        tfc_status_clear(st);
        tfc_bundle_reader_free(r);
    }
    TF_DeleteStatus(st);
}

/* ---- writing ---- */

static TF_Tensor *new_tensor(TF_DataType dt, int nd, int64_t d0, int64_t d1)
{
    int64_t dims[2] = { d0, d1 };
    TF_Tensor *t;
    TF_Status *st = TF_NewStatus();
    assert_int_equal(tfc_tensor_new(dt, dims, nd, &t, st, "test"), TF_OK);
    TF_DeleteStatus(st);
    return t;
}

/* basic's tensors, built here. */
static TF_Tensor *make_basic(const char *name)
{
    TF_Tensor *t = NULL;
    if (!strcmp(name, "f32")) {
        t = new_tensor(TF_FLOAT, 2, 2, 3);
        for (int i = 0; i < 6; i++) ((float *)tfc_tensor_data(t))[i] = i * 0.5f - 1;
    } else if (!strcmp(name, "f64")) {
        t = new_tensor(TF_DOUBLE, 1, 3, 0);
        for (int i = 0; i < 3; i++) ((double *)tfc_tensor_data(t))[i] = i / 3.0;
    } else if (!strcmp(name, "i32")) {
        t = new_tensor(TF_INT32, 1, 4, 0);
        for (int i = 0; i < 4; i++) ((int32_t *)tfc_tensor_data(t))[i] = i * i - 5;
    } else if (!strcmp(name, "i64")) {
        t = new_tensor(TF_INT64, 2, 2, 2);
        for (int i = 0; i < 4; i++) ((int64_t *)tfc_tensor_data(t))[i] = (int64_t)(i - 2) * ((int64_t)1 << 40);
    } else if (!strcmp(name, "bool")) {
        t = new_tensor(TF_BOOL, 1, 3, 0);
        for (int i = 0; i < 3; i++) ((uint8_t *)tfc_tensor_data(t))[i] = i % 2 == 0;
    } else if (!strcmp(name, "str")) {
        t = new_tensor(TF_STRING, 1, 3, 0);
        TF_TString *s = tfc_tensor_data(t);
        char x[200];
        memset(x, 'x', sizeof x);
        TF_TString_Copy(&s[1], "hello", 5);
        TF_TString_Copy(&s[2], x, sizeof x);
    } else if (!strcmp(name, "scalar")) {
        t = new_tensor(TF_FLOAT, 0, 0, 0);
        *(float *)tfc_tensor_data(t) = 3.25f;
    } else {
        t = new_tensor(TF_FLOAT, 2, 0, 3);
    }
    return t;
}

static TF_Code write_tensors(const char *prefix, TF_Tensor *const *ts, int fail_at, TF_Status *st)
{
    tfc_bundle_writer *w;
    TF_Code rc = tfc_bundle_writer_new(prefix, &w, st);
    for (int i = 7; !rc && i >= 0; i--) { /* unsorted on purpose */
        rc = tfc_bundle_writer_add(w, basic_names[i], ts[i], st);
        if (i == fail_at) {
            tfc_bundle_writer_abort(w);
            return TF_ABORTED;
        }
    }
    if (!rc) rc = tfc_bundle_writer_finish(w, st);
    else tfc_bundle_writer_abort(w);
    return rc;
}

static TF_Code write_basic(const char *prefix, int fail_at)
{
    TF_Status *st = TF_NewStatus();
    TF_Tensor *ts[8];
    for (int i = 0; i < 8; i++) ts[i] = make_basic(basic_names[i]);
    TF_Code rc = write_tensors(prefix, ts, fail_at, st);
    for (int i = 0; i < 8; i++) TF_DeleteTensor(ts[i]);
    TF_DeleteStatus(st);
    return rc;
}

static void test_write_read_basic(void **state)
{
    char p[4200];
    path_of(p, sizeof p, tmpdir, "ckpt");
    assert_int_equal(write_basic(p, -1), TF_OK);
    assert_int_equal(read_basic(p, NULL), TF_OK);
    assert_int_equal(count_files(tmpdir), 2); /* no temporary file left */
    /* identical bytes to TensorFlow's data file (same order: names sorted by TF, reversed here) */
    const char *exp = getenv("TFC_CKPT_EXPORT_DIR");
    if (exp) {
        char e[4200];
        assert_int_equal(write_basic(path_of(e, sizeof e, exp, "ckpt"), -1), TF_OK);
    }
}

/* A save that fails half-way, or runs out of memory at any allocation, leaves the previous
 * checkpoint at the prefix readable and no temporary file behind. */
static void test_atomic_save(void **state)
{
    char p[4200];
    path_of(p, sizeof p, tmpdir, "ckpt");
    assert_int_equal(write_basic(p, -1), TF_OK);
    assert_int_equal(write_basic(p, 3), TF_ABORTED);
    assert_int_equal(read_basic(p, NULL), TF_OK);
    assert_int_equal(count_files(tmpdir), 2);
    /* duplicate names fail at finish */
    TF_Status *st = TF_NewStatus();
    tfc_bundle_writer *w;
    assert_int_equal(tfc_bundle_writer_new(p, &w, st), TF_OK);
    TF_Tensor *t = make_basic("f32");
    assert_int_equal(tfc_bundle_writer_add(w, "f32", t, st), TF_OK);
    assert_int_equal(tfc_bundle_writer_add(w, "f32", t, st), TF_OK);
    assert_int_equal(tfc_bundle_writer_finish(w, st), TF_INVALID_ARGUMENT);
    assert_non_null(strstr(TF_Message(st), "f32"));
    TF_DeleteTensor(t);
    assert_int_equal(read_basic(p, NULL), TF_OK);
    assert_int_equal(count_files(tmpdir), 2);
    /* an unwritable place */
    char bad[4300];
    snprintf(bad, sizeof bad, "%s/no/such/dir/ckpt", tmpdir);
    assert_int_equal(tfc_bundle_writer_new(bad, &w, st), TF_NOT_FOUND);
    /* out of memory at every allocation of a save */
    int failures = 0;
    TF_Tensor *ts[8];
    for (int i = 0; i < 8; i++) ts[i] = make_basic(basic_names[i]);
    for (int n = 1; n < 10000; n++) {
        tfc_alloc_fail_at(n);
        TF_Code rc = write_tensors(p, ts, -1, st);
        tfc_alloc_fail_at(0);
        tfc_status_clear(st);
        assert_int_equal(read_basic(p, NULL), TF_OK);
        assert_int_equal(count_files(tmpdir), 2);
        if (rc == TF_OK) break;
        failures++;
    }
    for (int i = 0; i < 8; i++) TF_DeleteTensor(ts[i]);
    assert_true(failures > 10);
    TF_DeleteStatus(st);
}

/* ---- ops ---- */

static TF_Operation *const_op(TF_Graph *g, const char *name, TF_Tensor *t)
{
    TF_Status *st = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
    TF_SetAttrTensor(d, "value", t, st);
    assert_ok(st);
    TF_SetAttrType(d, "dtype", t->dtype);
    TF_Operation *op = TF_FinishOperation(d, st);
    assert_ok(st);
    TF_DeleteTensor(t);
    TF_DeleteStatus(st);
    return op;
}

/* A string Const: a vector of n strings, or a scalar when n < 0. */
static TF_Operation *str_const(TF_Graph *g, const char *name, const char *const *v, int n)
{
    TF_Tensor *t = new_tensor(TF_STRING, n < 0 ? 0 : 1, n < 0 ? 1 : n, 0);
    for (int i = 0; i < (n < 0 ? 1 : n); i++)
        TF_TString_Copy((TF_TString *)tfc_tensor_data(t) + i, v[i], strlen(v[i]));
    return const_op(g, name, t);
}

static TF_Operation *save_op(TF_Graph *g, const char *prefix, const char *const *names, const char *const *slices,
                             TF_Output *vals, int n, TF_Status *st)
{
    TF_Operation *p = str_const(g, "save/prefix", &prefix, -1);
    TF_Operation *nm = str_const(g, "save/names", names, n);
    TF_Operation *sl = str_const(g, "save/slices", slices, n);
    TF_OperationDescription *d = TF_NewOperation(g, "SaveV2", "save");
    TF_AddInput(d, (TF_Output){ p, 0 });
    TF_AddInput(d, (TF_Output){ nm, 0 });
    TF_AddInput(d, (TF_Output){ sl, 0 });
    TF_AddInputList(d, vals, n);
    return TF_FinishOperation(d, st);
}

static TF_Operation *restore_op(TF_Graph *g, const char *name, const char *prefix, const char *const *names,
                                const TF_DataType *types, int n, TF_Status *st)
{
    char buf[64];
    const char *empty[16] = { "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "" };
    snprintf(buf, sizeof buf, "%s/prefix", name);
    TF_Operation *p = str_const(g, buf, &prefix, -1);
    snprintf(buf, sizeof buf, "%s/names", name);
    TF_Operation *nm = str_const(g, buf, names, n);
    snprintf(buf, sizeof buf, "%s/slices", name);
    TF_Operation *sl = str_const(g, buf, empty, n);
    TF_OperationDescription *d = TF_NewOperation(g, "RestoreV2", name);
    TF_AddInput(d, (TF_Output){ p, 0 });
    TF_AddInput(d, (TF_Output){ nm, 0 });
    TF_AddInput(d, (TF_Output){ sl, 0 });
    TF_SetAttrTypeList(d, "dtypes", types, n);
    return TF_FinishOperation(d, st);
}

static void test_save_restore_ops(void **state)
{
    char p[4200];
    path_of(p, sizeof p, tmpdir, "ops");
    TF_Status *st = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Output vals[8];
    TF_DataType types[8];
    for (int i = 0; i < 8; i++) {
        TF_Tensor *t = make_basic(basic_names[i]);
        types[i] = t->dtype;
        char nm[32];
        snprintf(nm, sizeof nm, "c_%s", basic_names[i]);
        vals[i] = (TF_Output){ const_op(g, nm, t), 0 };
    }
    const char *slices[8] = { "", "", "", "", "", "", "", "" };
    TF_Operation *save = save_op(g, p, basic_names, slices, vals, 8, st);
    assert_ok(st);
    TF_Operation *restore = restore_op(g, "restore", p, basic_names, types, 8, st);
    assert_ok(st);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *s = TF_NewSession(g, o, st);
    assert_ok(st);
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&save, 1, NULL, st);
    assert_ok(st);
    assert_int_equal(read_basic(p, NULL), TF_OK);
    TF_Output outs[8];
    TF_Tensor *got[8];
    for (int i = 0; i < 8; i++) outs[i] = (TF_Output){ restore, i };
    TF_SessionRun(s, NULL, NULL, NULL, 0, outs, got, 8, NULL, 0, NULL, st);
    assert_ok(st);
    for (int i = 0; i < 8; i++) {
        check_basic_value(basic_names[i], got[i]);
        TF_DeleteTensor(got[i]);
    }
    /* TensorFlow's own checkpoint through RestoreV2; a wrong dtype; a missing key */
    char tfp[4200];
    path_of(tfp, sizeof tfp, fixdir, "basic");
    TF_Operation *r2 = restore_op(g, "restore_tf", tfp, basic_names, types, 8, st);
    assert_ok(st);
    for (int i = 0; i < 8; i++) outs[i] = (TF_Output){ r2, i };
    TF_SessionRun(s, NULL, NULL, NULL, 0, outs, got, 8, NULL, 0, NULL, st);
    assert_ok(st);
    for (int i = 0; i < 8; i++) {
        check_basic_value(basic_names[i], got[i]);
        TF_DeleteTensor(got[i]);
    }
    TF_DataType wrong = TF_INT32;
    const char *f32 = "f32", *nope = "nope";
    TF_Operation *r3 = restore_op(g, "restore_wrong", p, &f32, &wrong, 1, st);
    TF_Operation *r4 = restore_op(g, "restore_missing", p, &nope, &wrong, 1, st);
    assert_ok(st);
    TF_Output o3 = { r3, 0 }, o4 = { r4, 0 };
    TF_SessionRun(s, NULL, NULL, NULL, 0, &o3, got, 1, NULL, 0, NULL, st);
    assert_code(st, TF_INVALID_ARGUMENT);
    assert_msg_has(st, "f32");
    TF_SessionRun(s, NULL, NULL, NULL, 0, &o4, got, 1, NULL, 0, NULL, st);
    assert_code(st, TF_NOT_FOUND);
    assert_msg_has(st, "nope");
    TF_CloseSession(s, st);
    TF_DeleteSession(s, st);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
}

static void test_save_slices_unimplemented(void **state)
{
    char p[4200];
    path_of(p, sizeof p, tmpdir, "sl");
    TF_Status *st = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Output v = { const_op(g, "v", make_basic("f64")), 0 };
    const char *name = "v", *slice = "3 0,1";
    TF_Operation *save = save_op(g, p, &name, &slice, &v, 1, st);
    assert_ok(st);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *s = TF_NewSession(g, o, st);
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&save, 1, NULL, st);
    assert_code(st, TF_UNIMPLEMENTED);
    assert_msg_has(st, "shape_and_slices");
    assert_int_equal(count_files(tmpdir), 0);
    TF_DeleteSession(s, st);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
}

static TF_Tensor *run1(TF_Session *s, TF_Output out, TF_Status *st)
{
    TF_Tensor *t = NULL;
    TF_SessionRun(s, NULL, NULL, NULL, 0, &out, &t, 1, NULL, 0, NULL, st);
    return t;
}

static TF_Tensor *i32_scalar(int32_t v)
{
    TF_Tensor *t = new_tensor(TF_INT32, 0, 0, 0);
    *(int32_t *)tfc_tensor_data(t) = v;
    return t;
}

static void assert_str(const TF_Tensor *t, int64_t i, const char *want)
{
    const TF_TString *s = (const TF_TString *)tfc_tensor_data(t) + i;
    assert_int_equal(TF_TString_GetSize(s), strlen(want));
    assert_memory_equal(TF_TString_GetDataPointer(s), want, strlen(want));
}

static void test_string_ops(void **state)
{
    TF_Status *st = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    const char *base = "/ckpt/model", *vec[2] = { "a", "bc" }, *tmp = "_temp";
    TF_Operation *b = str_const(g, "base", &base, -1);
    TF_Operation *v = str_const(g, "vec", vec, 2);
    TF_Operation *tp = str_const(g, "tmp", &tmp, -1);
    TF_Operation *shard = const_op(g, "shard", i32_scalar(3)), *num = const_op(g, "num", i32_scalar(12));
    TF_OperationDescription *d = TF_NewOperation(g, "ShardedFilename", "sf");
    TF_AddInput(d, (TF_Output){ b, 0 });
    TF_AddInput(d, (TF_Output){ shard, 0 });
    TF_AddInput(d, (TF_Output){ num, 0 });
    TF_Operation *sf = TF_FinishOperation(d, st);
    assert_ok(st);
    d = TF_NewOperation(g, "ShardedFilespec", "sp");
    TF_AddInput(d, (TF_Output){ b, 0 });
    TF_AddInput(d, (TF_Output){ num, 0 });
    TF_Operation *sp = TF_FinishOperation(d, st);
    assert_ok(st);
    d = TF_NewOperation(g, "StringJoin", "join");
    TF_Output ins[3] = { { b, 0 }, { v, 0 }, { tp, 0 } };
    TF_AddInputList(d, ins, 3);
    TF_SetAttrString(d, "separator", "|", 1);
    TF_Operation *join = TF_FinishOperation(d, st);
    assert_ok(st);
    d = TF_NewOperation(g, "StringJoin", "join_bad");
    TF_Output bad[2] = { { v, 0 }, { str_const(g, "v3", (const char *[]){ "x", "y", "z" }, 3), 0 } };
    TF_AddInputList(d, bad, 2);
    TF_FinishOperation(d, st);
    assert_code(st, TF_INVALID_ARGUMENT); /* shapes [2] and [3] */
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *s = TF_NewSession(g, o, st);
    TF_Tensor *t = run1(s, (TF_Output){ sf, 0 }, st);
    assert_ok(st);
    assert_str(t, 0, "/ckpt/model-00003-of-00012");
    TF_DeleteTensor(t);
    t = run1(s, (TF_Output){ sp, 0 }, st);
    assert_ok(st);
    assert_str(t, 0, "/ckpt/model-\?\?\?\?\?-of-00012");
    TF_DeleteTensor(t);
    t = run1(s, (TF_Output){ join, 0 }, st);
    assert_ok(st);
    assert_int_equal(t->ndims, 1);
    assert_int_equal(t->dims[0], 2);
    assert_str(t, 0, "/ckpt/model|a|_temp");
    assert_str(t, 1, "/ckpt/model|bc|_temp");
    TF_DeleteTensor(t);
    TF_DeleteSession(s, st);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
}

static void test_merge(void **state)
{
    char a[4200], b[4200], m[4200], da[4200], db[4200];
    path_of(da, sizeof da, tmpdir, "a");
    path_of(db, sizeof db, tmpdir, "b");
    mkdir(da, 0755);
    mkdir(db, 0755);
    path_of(a, sizeof a, da, "part");
    path_of(b, sizeof b, db, "part");
    path_of(m, sizeof m, tmpdir, "merged");
    TF_Status *st = TF_NewStatus();
    tfc_bundle_writer *w;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tfc_bundle_writer_new(k ? b : a, &w, st), TF_OK);
        for (int i = k * 4; i < k * 4 + 4; i++) {
            TF_Tensor *t = make_basic(basic_names[i]);
            assert_int_equal(tfc_bundle_writer_add(w, basic_names[i], t, st), TF_OK);
            TF_DeleteTensor(t);
        }
        assert_int_equal(tfc_bundle_writer_finish(w, st), TF_OK);
    }
    TF_Graph *g = TF_NewGraph();
    const char *srcs[3] = { a, b, "/nonexistent/x" }, *mp = m;
    TF_Operation *sv = str_const(g, "srcs", srcs, 2), *sv3 = str_const(g, "srcs3", srcs, 3);
    TF_Operation *dv = str_const(g, "dst", &mp, -1);
    TF_OperationDescription *d = TF_NewOperation(g, "MergeV2Checkpoints", "merge_strict");
    TF_AddInput(d, (TF_Output){ sv3, 0 });
    TF_AddInput(d, (TF_Output){ dv, 0 });
    TF_Operation *strict = TF_FinishOperation(d, st);
    assert_ok(st);
    d = TF_NewOperation(g, "MergeV2Checkpoints", "merge");
    TF_AddInput(d, (TF_Output){ sv, 0 });
    TF_AddInput(d, (TF_Output){ dv, 0 });
    TF_Operation *merge = TF_FinishOperation(d, st);
    assert_ok(st);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *s = TF_NewSession(g, o, st);
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&strict, 1, NULL, st);
    assert_code(st, TF_NOT_FOUND); /* allow_missing_files = false */
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&merge, 1, NULL, st);
    assert_ok(st);
    assert_int_equal(read_basic(m, NULL), TF_OK);
    struct stat sb;
    assert_int_not_equal(stat(da, &sb), 0); /* sources and their directories deleted */
    assert_int_not_equal(stat(db, &sb), 0);
    TF_DeleteSession(s, st);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
}

static TF_Tensor *f32_scalar(float v)
{
    TF_Tensor *t = new_tensor(TF_FLOAT, 0, 0, 0);
    *(float *)tfc_tensor_data(t) = v;
    return t;
}

static TF_Operation *op2(TF_Graph *g, const char *type, const char *name, TF_Operation *a, TF_Operation *b)
{
    TF_Status *st = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, (TF_Output){ a, 0 });
    TF_AddInput(d, (TF_Output){ b, 0 });
    TF_Operation *op = TF_FinishOperation(d, st);
    assert_ok(st);
    TF_DeleteStatus(st);
    return op;
}

static float fetch_f32(TF_Session *s, TF_Operation *op)
{
    TF_Status *st = TF_NewStatus();
    TF_Tensor *t = run1(s, (TF_Output){ op, 0 }, st);
    assert_ok(st);
    float v = *(float *)TF_TensorData(t);
    TF_DeleteTensor(t);
    TF_DeleteStatus(st);
    return v;
}

static void run_target(TF_Session *s, TF_Operation *op)
{
    TF_Status *st = TF_NewStatus();
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&op, 1, NULL, st);
    assert_ok(st);
    TF_DeleteStatus(st);
}

static void test_save_restore_variables(void **state)
{
    char p[4200];
    path_of(p, sizeof p, tmpdir, "vars");
    TF_Status *st = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_OperationDescription *d = TF_NewOperation(g, "VariableV2", "w");
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_SetAttrShape(d, "shape", NULL, 0);
    TF_Operation *w = TF_FinishOperation(d, st);
    assert_ok(st);
    d = TF_NewOperation(g, "VarHandleOp", "rv");
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_SetAttrShape(d, "shape", NULL, 0);
    TF_SetAttrString(d, "shared_name", "rv", 2);
    TF_Operation *rv = TF_FinishOperation(d, st);
    assert_ok(st);
    TF_Operation *init_w = op2(g, "Assign", "init_w", w, const_op(g, "one", f32_scalar(1.0f)));
    TF_Operation *init_rv = op2(g, "AssignVariableOp", "init_rv", rv, const_op(g, "five", f32_scalar(5.0f)));
    TF_Operation *step = op2(g, "AssignSub", "step", w, const_op(g, "lr", f32_scalar(0.25f)));
    TF_Operation *step_rv = op2(g, "AssignAddVariableOp", "step_rv", rv, const_op(g, "two", f32_scalar(2.0f)));
    d = TF_NewOperation(g, "ReadVariableOp", "read_rv");
    TF_AddInput(d, (TF_Output){ rv, 0 });
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_Operation *read_rv = TF_FinishOperation(d, st);
    assert_ok(st);
    d = TF_NewOperation(g, "Identity", "read_w");
    TF_AddInput(d, (TF_Output){ w, 0 });
    TF_Operation *read_w = TF_FinishOperation(d, st);
    assert_ok(st);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *s = TF_NewSession(g, o, st);
    TFC_SaveVariables(s, p, st); /* nothing initialised yet */
    assert_code(st, TF_INVALID_ARGUMENT);
    run_target(s, init_w);
    run_target(s, init_rv);
    for (int i = 0; i < 3; i++) {
        run_target(s, step);
        run_target(s, step_rv);
    }
    assert_true(fetch_f32(s, read_w) == 0.25f);
    assert_true(fetch_f32(s, read_rv) == 11.0f);
    TFC_SaveVariables(s, p, st);
    assert_ok(st);
    run_target(s, init_w);
    run_target(s, init_rv);
    assert_true(fetch_f32(s, read_rv) == 5.0f);
    assert_true(fetch_f32(s, read_w) == 1.0f);
    TFC_RestoreVariables(s, p, st);
    assert_ok(st);
    assert_true(fetch_f32(s, read_rv) == 11.0f);
    assert_true(fetch_f32(s, read_w) == 0.25f);
    assert_true(fetch_f32(s, step) == 0.0f); /* training continues from the restored value */
    /* the checkpoint holds both by shared name */
    tfc_bundle_reader *r;
    assert_int_equal(tfc_bundle_reader_open(p, &r, st), TF_OK);
    assert_int_equal(tfc_bundle_num_tensors(r), 2);
    assert_string_equal(tfc_bundle_tensor_name(r, 0), "rv");
    assert_string_equal(tfc_bundle_tensor_name(r, 1), "w");
    tfc_bundle_reader_free(r);
    /* errors: missing file, NULLs */
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/none", tmpdir);
    TFC_RestoreVariables(s, missing, st);
    assert_code(st, TF_NOT_FOUND);
    TFC_RestoreVariables(NULL, p, st);
    assert_code(st, TF_INVALID_ARGUMENT);
    TFC_SaveVariables(s, NULL, st);
    assert_code(st, TF_INVALID_ARGUMENT);
    TF_DeleteSession(s, st);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
}

/* tf-rust-fixtures/examples/regression_checkpoint: a TF 1.x training graph with its own Saver ops
 * (StringJoin, ShardedFilename, SaveV2, MergeV2Checkpoints, RestoreV2): train, save through
 * "save/control_dependency", re-initialise, restore through "save/restore_all". */
static void test_regression_checkpoint_graph(void **state)
{
    char p[4200];
    path_of(p, sizeof p, fixdir, "../../../../shared/data/tf-rust-fixtures/examples/regression_checkpoint/model.pb");
    uint8_t *pb;
    size_t len;
    TF_Status *st = TF_NewStatus();
    if (tfc_read_file(p, &pb, &len, st) != TF_OK) {
        printf("skipped: %s\n", TF_Message(st));
        TF_DeleteStatus(st);
        skip();
    }
    TF_Graph *g = TF_NewGraph();
    TF_Buffer *buf = TF_NewBufferFromString(pb, len);
    tfc_free(pb);
    TF_ImportGraphDefOptions *io = TF_NewImportGraphDefOptions();
    TF_GraphImportGraphDef(g, buf, io, st);
    assert_ok(st);
    TF_DeleteImportGraphDefOptions(io);
    TF_DeleteBuffer(buf);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *s = TF_NewSession(g, o, st);
    assert_ok(st);
    TF_Operation *init = TF_GraphOperationByName(g, "init"), *train = TF_GraphOperationByName(g, "train");
    TF_Operation *save = TF_GraphOperationByName(g, "save/control_dependency");
    TF_Operation *restore = TF_GraphOperationByName(g, "save/restore_all");
    assert_non_null(init);
    assert_non_null(train);
    assert_non_null(save);
    assert_non_null(restore);
    int64_t n = 100;
    TF_Tensor *x = new_tensor(TF_FLOAT, 1, n, 0), *y = new_tensor(TF_FLOAT, 1, n, 0);
    for (int i = 0; i < n; i++) {
        float xv = -1.0f + 2.0f * (float)((i * 37) % 100) / 100.0f;
        ((float *)tfc_tensor_data(x))[i] = xv;
        ((float *)tfc_tensor_data(y))[i] = 0.1f * xv + 0.3f;
    }
    TF_Output feeds[2] = { { TF_GraphOperationByName(g, "x"), 0 }, { TF_GraphOperationByName(g, "y"), 0 } };
    TF_Tensor *fv[2] = { x, y };
    run_target(s, init);
    for (int i = 0; i < 201; i++) {
        TF_SessionRun(s, NULL, feeds, fv, 2, NULL, NULL, 0, (const TF_Operation *const *)&train, 1, NULL, st);
        assert_ok(st);
    }
    TF_Operation *w = TF_GraphOperationByName(g, "w"), *b = TF_GraphOperationByName(g, "b");
    float wt = fetch_f32(s, w), bt = fetch_f32(s, b);
    assert_true(fabsf(wt - 0.1f) < 1e-3f && fabsf(bt - 0.3f) < 1e-3f);
    char prefix[4200];
    path_of(prefix, sizeof prefix, tmpdir, "model.ckpt");
    const char *pp = prefix;
    TF_Output pf = { TF_GraphOperationByName(g, "save/Const"), 0 };
    TF_Tensor *pt = new_tensor(TF_STRING, 0, 0, 0);
    TF_TString_Copy(tfc_tensor_data(pt), pp, strlen(pp));
    TF_SessionRun(s, NULL, &pf, &pt, 1, NULL, NULL, 0, (const TF_Operation *const *)&save, 1, NULL, st);
    assert_ok(st);
    run_target(s, init);
    assert_true(fetch_f32(s, w) != wt);
    TF_SessionRun(s, NULL, &pf, &pt, 1, NULL, NULL, 0, (const TF_Operation *const *)&restore, 1, NULL, st);
    assert_ok(st);
    assert_true(fetch_f32(s, w) == wt);
    assert_true(fetch_f32(s, b) == bt);
    TF_DeleteTensor(pt);
    TF_DeleteTensor(x);
    TF_DeleteTensor(y);
    TF_DeleteSession(s, st);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_roundtrip),
        cmocka_unit_test(test_table_roundtrip_snappy),
        cmocka_unit_test(test_table_empty),
        cmocka_unit_test_setup_teardown(test_tf_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tf_snappy_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tf_many_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regression_model_variables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corruption, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crafted_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_read_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atomic_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_restore_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_slices_unimplemented, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_restore_variables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regression_checkpoint_graph, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

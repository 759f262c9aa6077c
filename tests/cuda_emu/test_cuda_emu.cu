// test_cuda_emu: the CUDA emulator itself (emulation builds only; see emu_runtime.h), since the
// GPU suites are only as good as its imitation of CUDA: work waits in its stream until the host
// waits for it, events order streams, host code cannot touch device memory, copies and kernels
// stay inside their allocation, barriers and shuffles give what CUDA gives, a bad launch shape is
// an error and a divergent barrier a failure. Written as CUDA code (it goes through emu_rewrite
// like tfc's kernels).
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" {
#include <cmocka.h> // (a C header without C++ guards)
}
#include <cuda_runtime_api.h>

namespace {

void ok(cudaError_t e) { assert_int_equal(e, cudaSuccess); }

float *device_floats(size_t n)
{
    void *p = nullptr;
    ok(cudaMalloc(&p, n * sizeof(float)));
    return static_cast<float *>(p);
}

void test_work_waits_for_its_stream(void **)
{
    cudaStream_t a, b;
    ok(cudaStreamCreateWithFlags(&a, cudaStreamNonBlocking));
    ok(cudaStreamCreateWithFlags(&b, cudaStreamNonBlocking));
    float *d = device_floats(4), in[4] = { 1, 2, 3, 4 }, out[4] = { 0, 0, 0, 0 };
    ok(cudaMemcpyAsync(d, in, sizeof in, cudaMemcpyHostToDevice, a));
    in[0] = 99; // pageable host memory is staged at the call: the copy keeps 1
    ok(cudaMemcpyAsync(out, d, sizeof out, cudaMemcpyDeviceToHost, b));
    ok(cudaStreamSynchronize(b)); // b never waited for a: it read the memory before a's copy
    assert_true(out[0] == 0 && out[3] == 0);
    ok(cudaStreamSynchronize(a));

    cudaEvent_t ev;
    ok(cudaEventCreateWithFlags(&ev, cudaEventDisableTiming));
    float in2[4] = { 5, 6, 7, 8 };
    ok(cudaMemcpyAsync(d, in2, sizeof in2, cudaMemcpyHostToDevice, a));
    ok(cudaEventRecord(ev, a));
    ok(cudaStreamWaitEvent(b, ev, 0));
    ok(cudaMemcpyAsync(out, d, sizeof out, cudaMemcpyDeviceToHost, b));
    assert_true(out[0] == 0); // queued, not done, until the host waits
    ok(cudaStreamSynchronize(b));
    assert_true(out[0] == 5 && out[3] == 8);
    ok(cudaFree(d));
}

sigjmp_buf fault_jump;
void on_fault(int) { siglongjmp(fault_jump, 1); }

void test_host_cannot_touch_device_memory(void **)
{
    float *d = device_floats(1);
    struct sigaction act, old;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_fault;
    sigaction(SIGSEGV, &act, &old);
    volatile int faulted = 0;
    if (sigsetjmp(fault_jump, 1) == 0) {
        *(volatile float *)d = 1.0f;
    } else {
        faulted = 1;
    }
    sigaction(SIGSEGV, &old, nullptr);
    assert_true(faulted);
    ok(cudaFree(d));
}

__global__ void write_at(float *x, int i) { x[i] = 1.0f; }

// Copies and kernels stay inside their allocation: a copy past the end is an error, a kernel's
// write past the end a fault (in a child process, which it kills).
void test_memory_bounds(void **)
{
    float *d = device_floats(10), host[11] = { 0 };
    assert_int_equal(cudaMemcpyAsync(d, host, sizeof host, cudaMemcpyHostToDevice, 0), cudaErrorInvalidValue);
    assert_int_equal(cudaMemcpyAsync(host, d + 1, 10 * sizeof(float), cudaMemcpyDeviceToHost, 0), cudaErrorInvalidValue);
    assert_int_equal(cudaGetLastError(), cudaErrorInvalidValue); // (and clears it)
    ok(cudaMemcpyAsync(host, d, 10 * sizeof(float), cudaMemcpyDeviceToHost, 0));
    ok(cudaStreamSynchronize(0));
    write_at<<<1, 1>>>(d, 9);
    ok(cudaStreamSynchronize(0)); // the last element is fine
    fflush(nullptr);
    pid_t child = fork();
    if (child == 0) {
        signal(SIGSEGV, SIG_DFL); // not cmocka's handler, which would go on with the tests here
        write_at<<<1, 1>>>(d, 64); // 256 bytes: past the allocation's 256-byte rounding
        cudaStreamSynchronize(0);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    ok(cudaFree(d));
}

constexpr int kThreads = 256;

// Sums x[0, n) with one block: shared memory and barriers down to a warp, then shuffles.
__global__ void block_sum(const float *x, int n, float *out)
{
    __shared__ float part[kThreads];
    float v = 0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) v += x[i];
    part[threadIdx.x] = v;
    __syncthreads();
    for (int half = kThreads / 2; half >= 32; half /= 2) {
        if ((int)threadIdx.x < half) part[threadIdx.x] += part[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x < 32) {
        v = part[threadIdx.x];
        for (int off = 16; off > 0; off /= 2) v += __shfl_down_sync(0xffffffffu, v, off);
        if (threadIdx.x == 0) *out = v;
    }
}

// Every thread of a 2-D block writes its flat index and lane 0's value (a broadcast shuffle).
__global__ void thread_places(int *flat, int *from_lane0)
{
    int me = threadIdx.x + blockDim.x * threadIdx.y + blockDim.x * blockDim.y * blockIdx.x;
    flat[me] = me;
    from_lane0[me] = __shfl_sync(0xffffffffu, me, 0);
}

void test_barriers_and_shuffles(void **)
{
    const int n = 10007;
    float host[n], sum = 0, got = 0;
    for (int i = 0; i < n; i++) host[i] = (float)(i % 7) - 3.0f, sum += host[i];
    float *x = device_floats(n), *out = device_floats(1);
    ok(cudaMemcpyAsync(x, host, sizeof host, cudaMemcpyHostToDevice, 0));
    block_sum<<<1, kThreads>>>(x, n, out);
    ok(cudaGetLastError());
    ok(cudaMemcpyAsync(&got, out, sizeof got, cudaMemcpyDeviceToHost, 0));
    ok(cudaStreamSynchronize(0));
    assert_true(got == sum);

    int *flat, *lane0, hf[2 * 64], hl[2 * 64];
    ok(cudaMalloc((void **)&flat, sizeof hf));
    ok(cudaMalloc((void **)&lane0, sizeof hl));
    thread_places<<<2, dim3(16, 4)>>>(flat, lane0);
    ok(cudaMemcpyAsync(hf, flat, sizeof hf, cudaMemcpyDeviceToHost, 0));
    ok(cudaMemcpyAsync(hl, lane0, sizeof hl, cudaMemcpyDeviceToHost, 0));
    ok(cudaStreamSynchronize(0));
    for (int i = 0; i < 128; i++) {
        assert_int_equal(hf[i], i);
        assert_int_equal(hl[i], i / 32 * 32);
    }
    ok(cudaFree(x));
    ok(cudaFree(out));
    ok(cudaFree(flat));
    ok(cudaFree(lane0));
}

__global__ void nothing() {}

void test_bad_launch_shape(void **)
{
    nothing<<<1, 2048>>>();
    assert_int_equal(cudaGetLastError(), cudaErrorInvalidConfiguration);
    nothing<<<0, 32>>>();
    assert_int_equal(cudaGetLastError(), cudaErrorInvalidConfiguration);
    ok(cudaGetLastError()); // not sticky
}

// In every warp the odd lanes wait at __syncthreads and the even ones at a full-warp shuffle:
// neither barrier can ever open (undefined behaviour in CUDA; a hang or garbage on a GPU).
__global__ void divergent_barrier(int *out)
{
    if (threadIdx.x % 2) __syncthreads();
    else *out = __shfl_sync(0xffffffffu, (int)threadIdx.x, 0);
}

// Last: the failure is sticky for the rest of the process, as on a GPU.
void test_divergent_barrier_fails_the_launch(void **)
{
    int *d;
    ok(cudaMalloc((void **)&d, sizeof(int)));
    divergent_barrier<<<1, 64>>>(d);
    ok(cudaGetLastError()); // the launch itself is fine; it fails when it runs
    assert_int_equal(cudaStreamSynchronize(0), cudaErrorLaunchFailure);
    assert_int_equal(cudaGetLastError(), cudaErrorLaunchFailure);
}

} // namespace

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_work_waits_for_its_stream),
        cmocka_unit_test(test_host_cannot_touch_device_memory),
        cmocka_unit_test(test_memory_bounds),
        cmocka_unit_test(test_barriers_and_shuffles),
        cmocka_unit_test(test_bad_launch_shape),
        cmocka_unit_test(test_divergent_barrier_fails_the_launch),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}

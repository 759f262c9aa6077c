// emu_threads: runs a kernel's grid on the host for the CUDA emulator. Blocks run one after another;
// the threads of a block are coroutines, each running until it finishes or reaches a
// barrier (__syncthreads, or a warp exchange for the shuffles), and a barrier opens once every
// thread that has not finished is waiting at it. Between barriers the threads run in turn, in
// alternating order, so a missing barrier tends to show as a wrong value. A block whose threads
// wait at different barriers forever (a barrier in divergent code) fails the launch.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "emu_device.h"

uint3 tfc_emu_threadIdx, tfc_emu_blockIdx;
dim3 tfc_emu_blockDim, tfc_emu_gridDim;

namespace {

enum state { READY, AT_BLOCK_BARRIER, AT_WARP_BARRIER, FINISHED };

const size_t kStackBytes = 128 * 1024, kGuardBytes = 4096;
const unsigned kMaxThreads = 1024;

struct emu_thread;
void thread_body();

} // namespace

// ---- coroutines: a hand-written switch on x86-64 (glibc's swapcontext makes a system call each
// time, to save the signal mask, which made the emulator several times slower), ucontext elsewhere.
#if defined(__x86_64__)
// tfc_emu_switch(&save, to): pushes the callee-saved registers and the SSE/x87 control words,
// stores the stack pointer in save, and continues the coroutine whose stack pointer is `to`.
extern "C" void tfc_emu_switch(void **save, void *to);
__asm__(".text\n"
        ".globl tfc_emu_switch\n"
        ".type tfc_emu_switch, @function\n"
        "tfc_emu_switch:\n"
        "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n  pushq %r14\n  pushq %r15\n"
        "  subq $8, %rsp\n  stmxcsr (%rsp)\n  fnstcw 4(%rsp)\n"
        "  movq %rsp, (%rdi)\n  movq %rsi, %rsp\n"
        "  ldmxcsr (%rsp)\n  fldcw 4(%rsp)\n  addq $8, %rsp\n"
        "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n  popq %rbx\n  popq %rbp\n"
        "  ret\n"
        ".size tfc_emu_switch, .-tfc_emu_switch\n");

namespace {
struct coroutine {
    void *sp;
};
coroutine scheduler;

void coroutine_entry() { thread_body(); }

// A frame tfc_emu_switch can pop: control words, six registers, then the entry as return address
// (and a dummy return address above it, so the entry sees the stack aligned as after a call).
void coroutine_start(coroutine *c, char *stack_top)
{
    uint64_t *sp = reinterpret_cast<uint64_t *>(reinterpret_cast<uintptr_t>(stack_top) & ~uintptr_t(15));
    *--sp = 0;
    *--sp = reinterpret_cast<uint64_t>(&coroutine_entry);
    for (int i = 0; i < 6; i++) *--sp = 0;
    *--sp = 0x1F80 | (uint64_t(0x037F) << 32); // default MXCSR, x87 control word
    c->sp = sp;
}
void coroutine_switch(coroutine *from, coroutine *to) { tfc_emu_switch(&from->sp, to->sp); }
} // namespace
#else
namespace {
struct coroutine {
    ucontext_t ctx;
};
coroutine scheduler;

void coroutine_start(coroutine *c, char *stack_top)
{
    getcontext(&c->ctx);
    c->ctx.uc_stack.ss_sp = stack_top - kStackBytes;
    c->ctx.uc_stack.ss_size = kStackBytes;
    c->ctx.uc_link = nullptr;
    makecontext(&c->ctx, thread_body, 0);
}
void coroutine_switch(coroutine *from, coroutine *to) { swapcontext(&from->ctx, &to->ctx); }
} // namespace
#endif

namespace {

struct emu_thread {
    coroutine co;
    char *stack; // kGuardBytes of guard page below kStackBytes of stack; made once, kept
    state st;
    uint3 idx;
};

emu_thread threads[kMaxThreads];
emu_thread *current;
void (*current_main)(void *);
void *current_arg;
// The values each warp's lanes exchange in a shuffle: 16 bytes a lane.
unsigned char lane_values[kMaxThreads][16];

// A thread's whole life; it never returns: the scheduler drops a finished coroutine.
void thread_body()
{
    current_main(current_arg);
    current->st = FINISHED;
    coroutine_switch(&current->co, &scheduler);
}

bool start_thread(emu_thread *t)
{
    if (!t->stack) {
        void *m = mmap(nullptr, kStackBytes + kGuardBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) return false;
        mprotect(m, kGuardBytes, PROT_NONE);
        t->stack = static_cast<char *>(m);
    }
    coroutine_start(&t->co, t->stack + kGuardBytes + kStackBytes);
    t->st = READY;
    return true;
}

void resume(emu_thread *t)
{
    current = t;
    tfc_emu_threadIdx = t->idx;
    coroutine_switch(&scheduler, &t->co);
}

void wait_at(state barrier)
{
    emu_thread *me = current;
    me->st = barrier;
    coroutine_switch(&me->co, &scheduler);
}

// Opens the barriers every live thread (of the block, or of a warp) waits at; false when none can
// open though some threads still wait.
bool open_barriers(unsigned n)
{
    unsigned live = 0, at_block = 0;
    for (unsigned i = 0; i < n; i++) {
        live += threads[i].st != FINISHED;
        at_block += threads[i].st == AT_BLOCK_BARRIER;
    }
    if (live == 0) return true;
    if (at_block == live) {
        for (unsigned i = 0; i < n; i++)
            if (threads[i].st == AT_BLOCK_BARRIER) threads[i].st = READY;
        return true;
    }
    bool opened = false;
    for (unsigned w = 0; w * 32 < n; w++) {
        unsigned end = w * 32 + 32 < n ? w * 32 + 32 : n, wlive = 0, at_warp = 0;
        for (unsigned i = w * 32; i < end; i++) {
            wlive += threads[i].st != FINISHED;
            at_warp += threads[i].st == AT_WARP_BARRIER;
        }
        if (wlive && at_warp == wlive) {
            for (unsigned i = w * 32; i < end; i++)
                if (threads[i].st == AT_WARP_BARRIER) threads[i].st = READY;
            opened = true;
        }
    }
    return opened;
}

bool run_block(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!start_thread(&threads[i])) return false;
    for (unsigned phase = 0;; phase++) {
        for (unsigned j = 0; j < n; j++) {
            emu_thread *t = &threads[phase % 2 ? n - 1 - j : j];
            if (t->st == READY) resume(t);
        }
        bool any_live = false;
        for (unsigned i = 0; i < n && !any_live; i++) any_live = threads[i].st != FINISHED;
        if (!any_live) return true;
        if (!open_barriers(n)) return false;
    }
}

} // namespace

void tfc_emu_syncthreads() { wait_at(AT_BLOCK_BARRIER); }
void tfc_emu_syncwarp() { wait_at(AT_WARP_BARRIER); }

unsigned tfc_emu_linear_thread()
{
    return tfc_emu_threadIdx.x + tfc_emu_blockDim.x * (tfc_emu_threadIdx.y + tfc_emu_blockDim.y * tfc_emu_threadIdx.z);
}

void *tfc_emu_lane_value(unsigned linear_thread) { return lane_values[linear_thread]; }

// Called with the emulator's lock held (the launch runs as queued stream work).
extern "C" bool tfc_emu_run_grid(dim3 grid, dim3 block, void (*thread_main)(void *), void *arg)
{
    const unsigned n = block.x * block.y * block.z;
    current_main = thread_main;
    current_arg = arg;
    tfc_emu_gridDim = grid;
    tfc_emu_blockDim = block;
    for (unsigned z = 0; z < grid.z; z++)
        for (unsigned y = 0; y < grid.y; y++)
            for (unsigned x = 0; x < grid.x; x++) {
                tfc_emu_blockIdx = uint3{ x, y, z };
                for (unsigned i = 0; i < n; i++)
                    threads[i].idx = uint3{ i % block.x, i / block.x % block.y, i / (block.x * block.y) };
                if (!run_block(n)) {
                    fprintf(stderr,
                            "tfc CUDA emulator: block (%u, %u, %u) of a (%u, %u, %u) x (%u, %u, %u) launch deadlocks: "
                            "its threads wait at different barriers\n",
                            x, y, z, grid.x, grid.y, grid.z, block.x, block.y, block.z);
                    tfc_emu_set_error(cudaErrorLaunchFailure);
                    return false;
                }
            }
    return true;
}

// Checks a launch's shape as CUDA does; false (and cudaErrorInvalidConfiguration recorded) if bad.
bool tfc_emu_launch_ok(dim3 grid, dim3 block, size_t shared_bytes)
{
    const uint64_t n = (uint64_t)block.x * block.y * block.z;
    bool ok = grid.x && grid.y && grid.z && block.x && block.y && block.z && n <= kMaxThreads && block.x <= 1024 &&
              block.y <= 1024 && block.z <= 64 && grid.x <= 0x7fffffffu && grid.y <= 65535 && grid.z <= 65535 &&
              shared_bytes <= 48 * 1024;
    if (!ok) tfc_emu_set_error(cudaErrorInvalidConfiguration);
    return ok;
}

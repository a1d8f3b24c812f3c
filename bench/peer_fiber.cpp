// peer_fiber.cpp — Boost.Fiber doing awaitlab_bench.c's workloads (stackful fibers, as awaitlab's
// tasks are; no event loop, so no call_soon or timers):
//   switch  two fibers yielding to each other      spawn   create a fiber and join it
//   gather  N fibers started at once, each yielding once, then all joined
//   memory  N fibers asleep on one condition variable, then all woken
//   peer_fiber WORKLOAD N    prints `BENCH WORKLOAD VALUE`
#include <boost/fiber/all.hpp>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "bench_util.h"

namespace fibers = boost::fibers;

static long n_ops;

static void bench_switch()
{
    auto yielder = [] {
        for (long i = 0; i < n_ops; i++) boost::this_fiber::yield();
    };
    double t0 = bench_now();
    fibers::fiber a(yielder), b(yielder);
    a.join();
    b.join();
    bench_report("switch", (bench_now() - t0) * 1e9 / (double)(2 * n_ops));
}

static void bench_spawn()
{
    double t0 = bench_now();
    for (long i = 0; i < n_ops; i++) {
        fibers::fiber f([] {});
        f.join();
    }
    bench_report("spawn", (bench_now() - t0) * 1e9 / (double)n_ops);
}

static void bench_gather()
{
    std::vector<fibers::fiber> fs;
    fs.reserve((size_t)n_ops);
    double t0 = bench_now();
    for (long i = 0; i < n_ops; i++) fs.emplace_back([] { boost::this_fiber::yield(); });
    for (auto &f : fs) f.join();
    bench_report("gather", (bench_now() - t0) * 1e9 / (double)n_ops);
}

static void bench_memory()
{
    fibers::mutex m;
    fibers::condition_variable cv;
    bool set = false;
    long finished = 0;
    std::vector<fibers::fiber> fs;
    fs.reserve((size_t)n_ops);
    long rss0 = bench_rss();
    for (long i = 0; i < n_ops; i++)
        fs.emplace_back([&] {
            std::unique_lock<fibers::mutex> lk(m);
            cv.wait(lk, [&] { return set; });
            finished++;
        });
    boost::this_fiber::yield(); // every fiber starts and blocks
    double per = (double)(bench_rss() - rss0) / (double)n_ops;
    double t0 = bench_now();
    {
        std::unique_lock<fibers::mutex> lk(m);
        set = true;
    }
    cv.notify_all();
    for (auto &f : fs) f.join();
    if (finished == n_ops) {
        bench_report("memory", per);
        bench_report("memory_wake", (bench_now() - t0) * 1e9 / (double)n_ops);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || (n_ops = std::atol(argv[2])) <= 0) {
        std::fprintf(stderr, "usage: peer_fiber WORKLOAD N (N > 0)\n");
        return 2;
    }
    const char *w = argv[1];
    if (!std::strcmp(w, "switch")) bench_switch();
    else if (!std::strcmp(w, "spawn")) bench_spawn();
    else if (!std::strcmp(w, "gather")) bench_gather();
    else if (!std::strcmp(w, "memory")) bench_memory();
    else {
        std::fprintf(stderr, "peer_fiber: no workload '%s'\n", w);
        return 2;
    }
    return 0;
}

// consumer_cpp.cpp: cymem4j.h from C++ (the header's extern "C" guards), with a small RAII owner for a
// pool the C++ code creates itself. A pool that Java owns is never wrapped like this: Java destroys it.
#include <cymem4j.h>

#include <cstdio>
#include <memory>

namespace {
struct PoolDeleter {
    void operator()(cym_pool_t* pool) const noexcept { cym_pool_destroy(pool); }
};
using PoolPtr = std::unique_ptr<cym_pool_t, PoolDeleter>;
} // namespace

int main() {
    cym_pool_t* raw = nullptr;
    if (cym_pool_create(nullptr, 0, &raw) != CYM_OK) return 1;
    PoolPtr pool(raw);
    void* p = nullptr;
    if (cym_pool_alloc(pool.get(), 16, sizeof(double), &p) != CYM_OK) return 1;
    static_cast<double*>(p)[15] = 2.5;
    cym_pool_stats_t stats{};
    cym_pool_stats(pool.get(), &stats);
    std::printf("consumer_cpp: %lld bytes in %lld block(s)\n", static_cast<long long>(stats.live_bytes),
                static_cast<long long>(stats.live_blocks));
    return stats.live_bytes == 128 && stats.live_blocks == 1 ? 0 : 1;
} // the pool, and its block, freed here

// test_cpp_api.cpp: the public C API from C++ with no casts on statuses. Every fallible cym_ function is declared to
// return cym_status, so C++ can store, compare, switch on and print its result as the enum it is; before, they
// returned int and `cym_status s = cym_pool_alloc(...)` did not compile in C++. Built with -Werror, -Wconversion,
// -Wold-style-cast and -Wswitch-enum (tests/native/CMakeLists.txt), so a status that needs a cast fails the build.
#include <cymem4j.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace {
int failures = 0;

void check(bool ok, const char* what, int line) {
    if (!ok) {
        std::fprintf(stderr, "test_cpp_api.cpp:%d: CHECK failed: %s\n", line, what);
        failures++;
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

// A switch over the enum: -Wswitch-enum makes this fail to build if a status is added without a name here.
const char* name_of(cym_status status) {
    switch (status) {
    case CYM_OK: return "CYM_OK";
    case CYM_ENOMEM: return "CYM_ENOMEM";
    case CYM_EOVERFLOW: return "CYM_EOVERFLOW";
    case CYM_ENOTOWNED: return "CYM_ENOTOWNED";
    case CYM_EINVAL: return "CYM_EINVAL";
    case CYM_ELIMIT: return "CYM_ELIMIT";
    case CYM_EUNSUPPORTED: return "CYM_EUNSUPPORTED";
    case CYM_EBUSY: return "CYM_EBUSY";
    }
    return "?";
}

// The declared return types, checked by the compiler.
static_assert(std::is_same<decltype(cym_pool_create(nullptr, 0u, nullptr)), cym_status>::value, "cym_pool_create");
static_assert(std::is_same<decltype(cym_pool_alloc(nullptr, 0, 0, nullptr)), cym_status>::value, "cym_pool_alloc");
static_assert(std::is_same<decltype(cym_pool_free(nullptr, nullptr)), cym_status>::value, "cym_pool_free");
static_assert(std::is_same<decltype(cym_pool_realloc(nullptr, nullptr, 0, nullptr)), cym_status>::value,
              "cym_pool_realloc");
static_assert(std::is_same<decltype(cym_pool_adopt(nullptr, nullptr, 0, nullptr)), cym_status>::value,
              "cym_pool_adopt");
static_assert(std::is_same<decltype(cym_allocator_named(nullptr, nullptr, 0, nullptr)), cym_status>::value,
              "cym_allocator_named");
static_assert(std::is_same<decltype(cym_allocator_library(nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                                          nullptr, nullptr, 0, nullptr)),
                           cym_status>::value,
              "cym_allocator_library");
static_assert(std::is_same<decltype(cym_allocator_debug(nullptr, nullptr)), cym_status>::value,
              "cym_allocator_debug");
static_assert(std::is_same<decltype(cym_strided_copy(nullptr, nullptr)), cym_status>::value, "cym_strided_copy");
} // namespace

int main() {
    cym_pool_t* pool = nullptr;
    cym_status status = cym_pool_create(nullptr, 0u, &pool);
    CHECK(status == CYM_OK);
    if (pool == nullptr) return 1;

    void* p = nullptr;
    status = cym_pool_alloc(pool, 4, sizeof(double), &p);
    CHECK(status == CYM_OK);
    CHECK(p != nullptr);

    int not_a_block = 0;
    status = cym_pool_free(pool, &not_a_block);
    CHECK(status == CYM_ENOTOWNED);
    CHECK(std::strcmp(name_of(status), "CYM_ENOTOWNED") == 0);
    CHECK(std::strcmp(cym_status_message(status), "address not owned by the pool") == 0);

    status = cym_pool_alloc(pool, SIZE_MAX, 2, &p);
    CHECK(status == CYM_EOVERFLOW);

    cym_allocator_t* a = nullptr;
    char why[CYM_ALLOCATOR_WHY_MAX] = "";
    status = cym_allocator_named("no-such-allocator", why, sizeof why, &a);
    CHECK(status == CYM_EINVAL);
    CHECK(std::strstr(why, "no-such-allocator") != nullptr);

    // Statuses go into and out of functions typed cym_status with no conversion.
    const cym_status results[] = {cym_pool_free(pool, nullptr), cym_pool_realloc(pool, &not_a_block, 8, &p)};
    for (cym_status r : results) CHECK(r == CYM_ENOTOWNED);

    cym_pool_destroy(pool);
    std::printf("test_cpp_api: %s\n", failures == 0 ? "all checks passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}

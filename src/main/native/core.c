/* core.c: what belongs to the library as a whole: its version and the status messages. */
#include "cymem4j.h"

int cym_version(void) { return CYM_VERSION_NUMBER; }

const char* cym_status_message(cym_status status) {
    switch (status) {
    case CYM_OK: return "success";
    case CYM_ENOMEM: return "the allocator returned no memory";
    case CYM_EOVERFLOW: return "count * size overflows";
    case CYM_ENOTOWNED: return "address not owned by the pool";
    case CYM_EINVAL: return "invalid argument";
    case CYM_ELIMIT: return "byte limit exceeded";
    case CYM_EUNSUPPORTED: return "operation not supported";
    case CYM_EBUSY: return "block pinned by an export";
    }
    return "unknown status";
}

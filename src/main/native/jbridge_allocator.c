/* jbridge_allocator.c: int64 encodings of the allocator API for the Java binding (in progress). */
#include "jbridge_allocator.h"

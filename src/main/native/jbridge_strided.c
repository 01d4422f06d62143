/* jbridge_strided.c: int64 encodings of the strided API for the Java binding (in progress). */
#include "jbridge_strided.h"

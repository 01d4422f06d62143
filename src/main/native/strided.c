/* strided.c: strided N-d kernels (in progress). */
#include "cymem4j.h"

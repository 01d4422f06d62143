/* jbridge_allocator.h: the allocator functions as the Java binding calls them (in progress). */
#ifndef CYMEM4J_JBRIDGE_ALLOCATOR_H
#define CYMEM4J_JBRIDGE_ALLOCATOR_H
#include <stdint.h>
#endif

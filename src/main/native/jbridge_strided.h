/* jbridge_strided.h: the strided functions as the Java binding calls them (in progress). */
#ifndef CYMEM4J_JBRIDGE_STRIDED_H
#define CYMEM4J_JBRIDGE_STRIDED_H
#include <stdint.h>
#endif

#pragma once
#include <cblas.h>
// Debian's cblas.h declares these only in the OpenBLAS flavour of the header; declare them
// here so thread control works whichever cblas.h the include path finds first.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

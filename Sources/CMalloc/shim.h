#pragma once
// glibc's malloc tunables (mallopt); part of libc, nothing to link.
#include <malloc.h>

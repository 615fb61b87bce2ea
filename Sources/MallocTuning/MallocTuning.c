// The functions are inline in include/MallocTuning.h; SwiftPM needs one source file per C target.
#include "MallocTuning.h"

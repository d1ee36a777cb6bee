// The target is header-only (include/malloc_tuning.h); SwiftPM needs a source file.

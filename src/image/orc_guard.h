#pragma once
// A lock around liborc's code memory, which libvips' vector paths use from many threads.
//
// liborc 0.4.33 (Debian 12's) splits and frees the chunks of its executable code memory without
// a lock, so two threads building or freeing vectorised operations (libvips compiles one ORC
// program per vertical reduce it builds) corrupt its free list: a crash inside liborc, a heap
// corruption abort, or a thread spinning forever on a looped list. Portrait defines the two
// liborc entry points libvips uses for that memory, orc_program_compile and orc_program_free;
// the dynamic linker binds libvips' calls to these definitions, which hold one process-wide lock
// around liborc's own. Later liborc releases take a lock of their own; this one then costs a
// mutex per compiled program.

namespace portrait::image {

// True when libvips' calls into liborc reach the locked definitions (the executable exports
// them). InitImageLibrary turns libvips' vector paths off when this is false.
bool OrcCallsAreLocked();

}  // namespace portrait::image

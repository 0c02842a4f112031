#if canImport(Glibc)
import Glibc
#endif

/// Process-wide allocator settings of the server executable (libraries leave the allocator
/// alone).
enum MallocTuning {
    /// glibc raises its mmap threshold each time a large block is freed, up to 32 MiB; after a
    /// burst of large request bodies, new ones then come from the heap, and the heap keeps its
    /// high-water mark after they are freed. A fixed threshold keeps every block of 128 KiB or
    /// more in its own mapping, which goes back to the system as soon as it is freed.
    static func apply() {
        #if canImport(Glibc)
        // `mallopt` is declared in malloc.h, which the Glibc module does not include: look it up.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 128 * 1024)
        _ = mallopt(trimThreshold, 1024 * 1024)
        #endif
    }
}

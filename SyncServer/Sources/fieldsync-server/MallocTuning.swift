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

    /// Gives the free pages of every malloc arena back to the system. Thousands of closed
    /// connections leave their small blocks freed inside the arenas, where the trim threshold
    /// (which only looks at the top of the heap) does not reach them.
    static func trim() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }

    /// Trims every `interval` until cancelled.
    static func trimPeriodically(every interval: Duration) -> Task<Void, Never> {
        Task.detached(priority: .background) {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                trim()
            }
        }
    }
}

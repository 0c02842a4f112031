import Synchronization

/// The simulated wall clock shared by the server and every device (each device adds its own
/// skew). Time moves only when the simulation says so, so runs are reproducible.
final class SimulationClock: Sendable {
    private let milliseconds: Mutex<Int64>

    /// 2025-10-09T08:53:20Z: a fixed start, so HLCs are the same in every run of a seed.
    init(start: Int64 = 1_760_000_000_000) {
        milliseconds = Mutex(start)
    }

    var now: Int64 { milliseconds.withLock { $0 } }

    func advance(by delta: Int64) {
        milliseconds.withLock { $0 += max(delta, 0) }
    }
}

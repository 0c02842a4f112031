import Foundation
import SyncCore
import Testing

@Suite("Hybrid logical clock")
struct HybridClockTests {
    @Test("HLCs order by physical time, then by logical counter")
    func ordering() {
        #expect(HLC(physical: 10, logical: 9) < HLC(physical: 11, logical: 0))
        #expect(HLC(physical: 10, logical: 1) < HLC(physical: 10, logical: 2))
        #expect(!(HLC(physical: 10, logical: 2) < HLC(physical: 10, logical: 2)))
        #expect(HLC.zero < HLC(physical: 0, logical: 1))
    }

    @Test("A tick takes the physical time when it moves forward")
    func tickForward() {
        var clock = HybridClock()
        #expect(clock.tick(physical: 1_000) == HLC(physical: 1_000, logical: 0))
        #expect(clock.tick(physical: 1_500) == HLC(physical: 1_500, logical: 0))
        #expect(clock.last == HLC(physical: 1_500, logical: 0))
    }

    @Test("A tick at the same or an earlier physical time bumps the logical counter")
    func tickStandingStillOrBackwards() {
        var clock = HybridClock(last: HLC(physical: 5_000, logical: 3))
        #expect(clock.tick(physical: 5_000) == HLC(physical: 5_000, logical: 4))
        #expect(clock.tick(physical: 1_000) == HLC(physical: 5_000, logical: 5))
        #expect(clock.tick(physical: 4_999) == HLC(physical: 5_000, logical: 6))
        #expect(clock.tick(physical: 5_001) == HLC(physical: 5_001, logical: 0))
    }

    @Test(
        "Ticks are strictly increasing even when physical time jumps backwards",
        arguments: [
            [100, 200, 300, 400],
            [400, 300, 200, 100, 0],
            [1_000, 1_000, 1_000],
            [50, 900, -20, 901, 899, 2_000, 1],
        ] as [[Int64]]
    )
    func ticksAreMonotonic(physicalTimes: [Int64]) {
        var clock = HybridClock()
        var previous = clock.last
        var highestPhysical: Int64 = 0
        for physical in physicalTimes {
            let stamp = clock.tick(physical: physical)
            highestPhysical = max(highestPhysical, physical)
            #expect(previous < stamp, "tick at \(physical) went from \(previous) to \(stamp)")
            #expect(stamp.physical == highestPhysical, "the physical part is the highest time seen")
            previous = stamp
        }
    }

    @Test("Receiving a remote stamp ahead of everything adopts it and bumps its counter")
    func receiveRemoteAhead() {
        var clock = HybridClock(last: HLC(physical: 100, logical: 7))
        let stamp = clock.receive(HLC(physical: 900, logical: 4), physical: 500)
        #expect(stamp == HLC(physical: 900, logical: 5))
        #expect(clock.last == stamp)
    }

    @Test("Receiving when local physical time is ahead resets the counter")
    func receivePhysicalAhead() {
        var clock = HybridClock(last: HLC(physical: 100, logical: 7))
        #expect(clock.receive(HLC(physical: 300, logical: 9), physical: 1_000) == HLC(physical: 1_000, logical: 0))
    }

    @Test("Receiving an older stamp keeps the last physical time and bumps its counter")
    func receiveLastAhead() {
        var clock = HybridClock(last: HLC(physical: 2_000, logical: 7))
        #expect(clock.receive(HLC(physical: 300, logical: 90), physical: 1_000) == HLC(physical: 2_000, logical: 8))
    }

    @Test("Receiving a stamp at the same physical time takes the larger counter plus one")
    func receiveSamePhysical() {
        var clock = HybridClock(last: HLC(physical: 2_000, logical: 3))
        #expect(clock.receive(HLC(physical: 2_000, logical: 11), physical: 1_500) == HLC(physical: 2_000, logical: 12))
        var other = HybridClock(last: HLC(physical: 2_000, logical: 30))
        #expect(other.receive(HLC(physical: 2_000, logical: 11), physical: 2_000) == HLC(physical: 2_000, logical: 31))
    }

    @Test(
        "After receiving, both the receipt and the next tick order after the remote stamp and the old last",
        arguments: [
            (HLC(physical: 10, logical: 0), HLC(physical: 50, logical: 3), Int64(20)),
            (HLC(physical: 90, logical: 5), HLC(physical: 50, logical: 3), Int64(20)),
            (HLC(physical: 50, logical: 5), HLC(physical: 50, logical: 9), Int64(50)),
            (HLC(physical: 10, logical: 0), HLC(physical: 20, logical: 0), Int64(100)),
            (HLC(physical: 70, logical: 2), HLC(physical: 70, logical: 2), Int64(0)),
            (HLC(physical: 10, logical: 0), HLC(physical: 50, logical: .max), Int64(20)),
            (HLC(physical: 50, logical: .max), HLC(physical: 50, logical: 3), Int64(0)),
            (HLC(physical: 50, logical: .max), HLC(physical: 40, logical: 3), Int64(0)),
        ]
    )
    func receiveThenTick(last: HLC, remote: HLC, physical: Int64) {
        var clock = HybridClock(last: last)
        let receipt = clock.receive(remote, physical: physical)
        #expect(remote < receipt)
        #expect(last < receipt)
        // The highest physical time seen, or the millisecond after it when the counter ran out.
        let top = max(last.physical, remote.physical, physical)
        #expect(receipt.physical == top || receipt == HLC(physical: top + 1, logical: 0))
        let next = clock.tick(physical: physical)
        #expect(receipt < next)
    }

    @Test("An exhausted logical counter moves to the next millisecond instead of wrapping around")
    func logicalCounterExhausted() {
        var clock = HybridClock(last: HLC(physical: 5_000, logical: .max))
        let stamp = clock.tick(physical: 4_000)
        #expect(stamp == HLC(physical: 5_001, logical: 0))
        #expect(HLC(physical: 5_000, logical: .max) < stamp)
        var receiver = HybridClock(last: HLC(physical: 100, logical: 0))
        let remote = HLC(physical: 900, logical: .max)
        #expect(remote < receiver.receive(remote, physical: 500))
        #expect(remote < receiver.tick(physical: 500))
    }

    @Test("HLC and clock encode compactly and round-trip")
    func coding() throws {
        let stamp = HLC(physical: 1_717_000_000_123, logical: 4)
        #expect(try stableJSONText(stamp) == #"{"ms":1717000000123,"n":4}"#)
        #expect(try JSONDecoder().decode(HLC.self, from: stableJSON(stamp)) == stamp)
        let clock = HybridClock(last: stamp)
        #expect(try JSONDecoder().decode(HybridClock.self, from: stableJSON(clock)) == clock)
    }
}

@Suite("Property: hybrid clock")
struct HybridClockPropertyTests {
    /// HLCs respect causality: in every trace, each replica's stamps strictly increase even
    /// though its physical clock jumps backwards, and a change's HLC is greater than the HLC of
    /// every change its writer had seen (context covers the dot), because receiving a change
    /// advances the clock past it.
    @Test("HLCs are monotonic per replica and greater than every change seen", arguments: PropertySeeds.all)
    func causalityImpliesHLCOrder(seed: UInt64) throws {
        var trace = Trace(seed: seed)
        try trace.runRandomSteps()
        try trace.deliverEverything()
        var lastByWriter: [Int: HLC] = [:]
        for (index, made) in trace.made.enumerated() {
            if let last = lastByWriter[made.writer] {
                #expect(last < made.change.hlc, "seed \(seed): replica \(made.writer) stamped \(made.change.hlc) after \(last)")
            }
            lastByWriter[made.writer] = made.change.hlc
            for earlier in 0..<index where trace.saw(index, earlier) {
                #expect(trace.made[earlier].change.hlc < made.change.hlc, "seed \(seed): \(made.change.dot) saw a later HLC")
            }
        }
    }
}

import SyncCore
import Testing

@Suite("Property traces exercise the hard cases")
struct TraceCoverageTests {
    /// What one trace contained, counted after delivering everything.
    struct Coverage {
        var openedKinds: Set<ConflictKind> = []
        var concurrentValuesAtEnd = false
        var deleteConflictAtEnd = false
        var concurrentAddAndRemove = false
        /// A replica overwrote its own write to a field while a concurrent write to that field,
        /// which it had not seen, existed elsewhere: the classic trap.
        var classicTrap = false
        var duplicatesDelivered = 0
        var stampsFromStalledClock = 0
        var deletes = 0
        var changes = 0
    }

    static func coverage(seed: UInt64) throws -> Coverage {
        var trace = Trace(seed: seed)
        var coverage = Coverage()
        let observe = { (_: Trace, event: TraceEvent) in
            guard case .delivered(_, _, _, let outcome, let duplicate) = event else { return }
            if duplicate { coverage.duplicatesDelivered += 1 }
            coverage.openedKinds.formUnion(outcome.opened.map(\.kind))
        }
        try trace.runRandomSteps(observe: observe)
        try trace.deliverEverything(observe: observe)
        let finalConflicts = trace.replicas[0].records.values.flatMap(\.openConflicts).map(\.kind)
        coverage.concurrentValuesAtEnd = finalConflicts.contains(.concurrentValues)
        coverage.deleteConflictAtEnd = finalConflicts.contains(.deleteVsEdit)
        coverage.changes = trace.made.count
        coverage.deletes = trace.made.filter(\.change.isDelete).count
        // A stalled or backwards physical clock shows as a stamp with a logical part.
        coverage.stampsFromStalledClock = trace.made.filter { $0.change.hlc.logical > 0 }.count
        for remove in trace.made.indices {
            for element in Trace.setElements where trace.touches(remove, element: element).removes {
                let concurrentAdd = trace.made.indices.contains { add in
                    add != remove && trace.made[add].change.recordID == trace.made[remove].change.recordID
                        && trace.touches(add, element: element).adds && !trace.saw(remove, add) && !trace.saw(add, remove)
                }
                if concurrentAdd { coverage.concurrentAddAndRemove = true }
            }
        }
        for field in Trace.registerFields {
            let writes = trace.made.indices.filter { trace.writes($0, register: field) != nil }
            var previousByWriter: [Int: Int] = [:]
            for overwrite in writes {
                let writer = trace.made[overwrite].writer
                defer { previousByWriter[writer] = overwrite }
                guard let own = previousByWriter[writer], trace.saw(overwrite, own) else { continue }
                let record = trace.made[overwrite].change.recordID
                if writes.contains(where: { other in
                    trace.made[other].writer != writer && trace.made[other].change.recordID == record
                        && !trace.saw(overwrite, other) && !trace.saw(other, own)
                }) {
                    coverage.classicTrap = true
                }
            }
        }
        return coverage
    }

    /// Guards the property tests against passing vacuously: over the first 100 seeds, the
    /// generator must produce concurrent register writes, the classic trap, deletes meeting
    /// concurrent edits, removes concurrent with adds, duplicate deliveries and stalled
    /// physical clocks (thresholds sit well below what seeds 1…100 produce), and
    /// some of those conflicts must still be open after full delivery.
    @Test("The generator produces conflicts, concurrent set operations, duplicates and clock stalls")
    func generatorCoverage() throws {
        let traces = try (1...100).map { try Self.coverage(seed: UInt64($0)) }
        func count(_ predicate: (Coverage) -> Bool) -> Int { traces.filter(predicate).count }
        let report = """
            opened concurrent_values \(count { $0.openedKinds.contains(.concurrentValues) }), \
            opened delete_vs_edit \(count { $0.openedKinds.contains(.deleteVsEdit) }), \
            concurrent values at end \(count(\.concurrentValuesAtEnd)), \
            delete conflict at end \(count(\.deleteConflictAtEnd)), \
            concurrent add/remove \(count(\.concurrentAddAndRemove)), \
            classic trap \(count(\.classicTrap)), \
            duplicates \(count { $0.duplicatesDelivered > 0 }), \
            stalled clocks \(count { $0.stampsFromStalledClock > 0 }), \
            deletes \(count { $0.deletes > 0 }), \
            changes min \(traces.map(\.changes).min() ?? 0) max \(traces.map(\.changes).max() ?? 0)
            """
        print("trace coverage over 100 seeds: \(report)")
        #expect(count { $0.openedKinds.contains(.concurrentValues) } >= 90, "\(report)")
        #expect(count { $0.openedKinds.contains(.deleteVsEdit) } >= 60, "\(report)")
        #expect(count(\.concurrentValuesAtEnd) >= 80, "\(report)")
        #expect(count(\.deleteConflictAtEnd) >= 25, "\(report)")
        #expect(count(\.concurrentAddAndRemove) >= 60, "\(report)")
        #expect(count(\.classicTrap) >= 50, "\(report)")
        #expect(count { $0.duplicatesDelivered > 0 } >= 90, "\(report)")
        #expect(count { $0.stampsFromStalledClock > 0 } >= 90, "\(report)")
    }
}

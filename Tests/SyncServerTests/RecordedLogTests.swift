import FieldSyncTestSupport
import Foundation
import Logging
import Testing

/// The test log recorder is a log handler like any other: swift-log gives every copy of a
/// logger its own metadata (postgres-nio sets a connection id on its copy for each query, on
/// many threads at once), while the lines recorded are shared by all of them.
@Suite("Recorded log")
struct RecordedLogTests {
    @Test("each copy of a logger keeps its own metadata, and every copy's lines are recorded")
    func valueSemantics() {
        let log = RecordedLog()
        let logger = Logger(label: "recorded") { _ in log }
        var first = logger
        var second = logger
        first[metadataKey: "connection"] = "1"
        second[metadataKey: "connection"] = "2"
        #expect(first[metadataKey: "connection"] == "1")
        #expect(second[metadataKey: "connection"] == "2")
        #expect(logger[metadataKey: "connection"] == nil)
        first.info("one")
        second.info("two")
        #expect(log.lines.count == 2)
        #expect(log.lines.first?.hasPrefix("info: one") == true)
    }

    @Test("copies set their metadata and log from many tasks at once")
    func concurrentCopies() async {
        let log = RecordedLog()
        let logger = Logger(label: "recorded") { _ in log }
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<2_000 {
                        var copy = logger
                        copy[metadataKey: "connection"] = "\(task)-\(round)"
                        if round % 100 == 0 { copy.debug("round \(round)") }
                    }
                }
            }
        }
        #expect(log.lines.count == 8 * 20)
    }
}

import FieldSyncTestSupport
import Foundation
import LoadGeneration
import Testing

/// `Benchmarks/results/latest.json` is written by `fieldsync-bench` (rows, figures) and by
/// `fieldsync-replay` (`replay`): each replaces its own keys and keeps the other's.
@Suite("Benchmark results file")
struct ResultsFileTests {
    @Test("a bench run keeps the replayer's report, and a replay keeps the bench's rows")
    func eachToolKeepsTheOthersKeys() throws {
        let directory = try TemporaryDirectory("results-file")
        defer { directory.remove() }
        let path = directory.path("results/latest.json")
        try ResultsFile.merge(["replay": ["sustained": 192]], into: path)
        try ResultsFile.merge(["rows": ["edit"], "date": "first"], into: path)
        try ResultsFile.merge(["date": "second"], into: path)
        let root = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(Set(root.keys) == ["replay", "rows", "date"])
        #expect((root["replay"] as? [String: Int]) == ["sustained": 192])
        #expect((root["rows"] as? [String]) == ["edit"])
        #expect((root["date"] as? String) == "second")
    }
}

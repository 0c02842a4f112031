import CRM
import Foundation

/// Finds files of the repository from the test sources, wherever the package is checked out.
enum Repository {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CRMTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func file(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// The demo data set, decoded once per test process.
    static let demo: Result<FixtureDataSet, any Error> = Result {
        try FixtureDataSet.decode(from: Data(contentsOf: file("fixtures/crm-demo.json")))
    }
}

import Foundation

/// A fresh directory under the system temporary directory, removed by `remove()` (tests call it
/// in a `defer`, so the directory lives exactly as long as the test).
final class TemporaryDirectory: Sendable {
    let url: URL

    init(_ label: String, inMemory: Bool = false) throws {
        url = (inMemory ? Self.memoryBacked : FileManager.default.temporaryDirectory)
            .appendingPathComponent("fieldsync-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// /dev/shm when there is one (a tmpfs: SQLite's fsyncs cost nothing, which the
    /// simulation needs to be fast; durability across power loss is not what it tests),
    /// else the temporary directory.
    static var memoryBacked: URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        return FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

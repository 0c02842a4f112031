import Foundation

/// Mounts for the disk fault tests: a tiny tmpfs (a disk that fills up) and a read-only bind
/// mount (a database file that cannot be written, even by root). Both need mount rights;
/// `mount` throws when they are missing so that the test can fall back.
struct Mounts {
    struct NotPermitted: Error, CustomStringConvertible {
        var description: String
    }

    /// A tmpfs of `kibibytes` at `directory`.
    static func tmpfs(at directory: URL, kibibytes: Int) async throws {
        try await run(["mount", "-t", "tmpfs", "-o", "size=\(kibibytes)k", "tmpfs", directory.path])
    }

    /// `source` mounted read-only at `target`.
    static func readOnlyBind(_ source: URL, at target: URL) async throws {
        try await run(["mount", "--bind", source.path, target.path])
        do {
            try await run(["mount", "-o", "remount,bind,ro", target.path])
        } catch {
            try? await unmount(target)
            throw error
        }
    }

    /// Unmounts, lazily if something still holds a file open.
    static func unmount(_ directory: URL) async throws {
        do {
            try await run(["umount", directory.path])
        } catch {
            try await run(["umount", "-l", directory.path])
        }
    }

    private static func run(_ arguments: [String]) async throws {
        let result = try await LoggedProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments, logDirectory: FileManager.default.temporaryDirectory)
        guard result.succeeded else {
            throw NotPermitted(description: "\(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

import Foundation

/// Waits until `condition` holds, looking every 20 ms; false if it still does not after
/// `patience`. For what happens on another task or process: a test asserts the result, and
/// the patience is far longer than the wait should take, so a slow machine does not fail it.
public func eventually(within patience: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + patience
    while try await !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try await Task.sleep(for: .milliseconds(20))
    }
    return true
}

/// Runs `operation`; when it has not finished after `patience`, says so once on stderr, with
/// `label` and what `describe` reports then (a PostgreSQL store: its database's sessions). A
/// full test run that hangs then names what it waits for (a child process whose end never
/// came, a store that never answered) instead of only going quiet.
public func sayingIfSlow<T>(
    _ label: String, after patience: Duration = .seconds(60), describe: (@Sendable () async -> String)? = nil,
    _ operation: () async throws -> T
) async throws -> T {
    let watchdog = Task.detached {
        guard (try? await Task.sleep(for: patience)) != nil else { return }
        var details = ""
        if let describe { details = ": " + (await describe()) }
        FileHandle.standardError.write(Data("note: still waiting after \(patience): \(label)\(details)\n".utf8))
    }
    defer { watchdog.cancel() }
    return try await operation()
}

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

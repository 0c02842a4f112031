import Foundation
import SyncClient

/// Runs a child process to completion and collects what it prints, suspending (never blocking a
/// thread of the cooperative pool) while it runs. Commands speak English unless a test asks for
/// another language, whatever the locale of the machine that runs the tests.
@discardableResult
public func runCommand(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
    var variables: [String: String?] = ["LC_ALL": nil, "LC_MESSAGES": nil, "LANG": "C.UTF-8"]
    for (name, value) in environment { variables[name] = value }
    return try await ChildProcess.run(executable, arguments, environment: variables)
}

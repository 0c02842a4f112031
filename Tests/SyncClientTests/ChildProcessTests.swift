import Foundation
import SyncClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The child processes of the demo, the benchmarks and the tests (`ChildProcess`).
@Suite("Child processes")
struct ChildProcessTests {
    /// The test process had some 2,000 descriptors open at its peak, and Foundation's
    /// `Process.run` died of SIGSEGV in such a process: it copies each `/proc/self/fd` entry's
    /// whole 256-byte name, past the end of a full directory buffer. The same load with
    /// Foundation (2,500 descriptors, 16 threads starting 60 children each while they allocate)
    /// crashed in `Process.run` in 4 of 7 runs; with 1,000 descriptors, in none of 4.
    /// Children started this way run, and inherit none of the parent's descriptors.
    @Test("with 2,500 descriptors open, 16 tasks start 40 children each; the children inherit none of them")
    func manyOpenDescriptors() async throws {
        var opened: [Int32] = []
        defer { opened.forEach { close($0) } }
        for _ in 0..<2_500 {
            let descriptor = open("/dev/null", O_RDONLY)
            try #require(descriptor >= 0, "cannot open /dev/null: errno \(errno)")
            opened.append(descriptor)
        }
        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<16 {
                group.addTask {
                    var failures: [String] = []
                    var allocations: [[UInt8]] = []
                    for index in 0..<40 {
                        allocations.append([UInt8](repeating: 1, count: 100 + (index * 7_919 + task * 104_729) % 60_000))
                        if allocations.count > 20 { allocations.removeFirst(10) }
                        let result = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "ls /proc/self/fd | wc -l"])
                        // stdin, stdout, stderr and the descriptor ls reads the directory with.
                        let count = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max
                        if !result.succeeded || count > 4 { failures.append("\(result.status) \(result.stdout) \(result.stderr)") }
                    }
                    return failures
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(failures.isEmpty, "children failed or inherited descriptors: \(failures.prefix(3))")
    }

    @Test("exit status, signals, output to a file, the environment, and a line waited for")
    func lifecycle() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-child-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let shell = URL(fileURLWithPath: "/bin/sh")

        let failed = try await ChildProcess.run(shell, ["-c", "echo out; echo err >&2; exit 3"])
        #expect(failed.status == 3 && !failed.killed && !failed.succeeded)
        #expect(failed.stdout == "out\n" && failed.stderr == "err\n")

        let environment = try await ChildProcess.run(shell, ["-c", "echo \"$GREETING-${HOME:-none}\""], environment: ["GREETING": "你好", "HOME": nil])
        #expect(environment.stdout == "你好-none\n")

        let output = directory.appendingPathComponent("out").path
        let sleeper = try await ChildProcess(shell, ["-c", "echo ready; exec sleep 60"], output: .file(output))
        #expect(try await sleeper.outputLine(containing: "ready", timeout: .seconds(60)) == "ready")
        #expect(sleeper.isRunning)
        #expect(try await sleeper.wait(atMost: .milliseconds(100)) == nil)
        sleeper.kill()
        let end = try await sleeper.wait()
        #expect(end.signalled && end.status == SIGKILL)
        #expect(!sleeper.isRunning)
        sleeper.kill()  // after the end: nothing to signal, nothing happens

        let quitter = try await ChildProcess(shell, ["-c", "exit 0"], output: .file(output))
        #expect(try await quitter.outputLine(containing: "ready", timeout: .seconds(60)) == nil, "it ended without printing it")
        #expect(try await quitter.wait().succeeded)

        await #expect(throws: (any Error).self) {
            _ = try await ChildProcess(directory.appendingPathComponent("no-such-program"), [])
        }
    }
}

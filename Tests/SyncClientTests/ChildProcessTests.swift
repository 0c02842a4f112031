import Foundation
import Subprocess
@testable import SyncClient
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The child processes of the demo, the benchmarks and the tests (`ChildProcess`).
@Suite("Child processes")
struct ChildProcessTests {
    /// The test process had some 2,000 descriptors open at its peak, and Foundation's
    /// `Process.run` died of SIGSEGV in such a process: it copies each `/proc/self/fd` entry's
    /// whole 256-byte name, past the end of a full directory buffer (a standalone program with
    /// 2,500 descriptors and 16 threads starting children crashed in `Process.run` in 4 of 7
    /// runs). No source of this package starts a child through `Process` but the load
    /// generator's workers (`fieldsync-load`, a process with few descriptors).
    @Test("no child process starts through Foundation's Process but fieldsync-load's workers")
    func noFoundationProcess() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // Spelled in two parts, so that this file does not name itself.
        let needles = ["= " + "Process()", "Foundation." + "Process("]
        var users: [String] = []
        for folder in ["Sources", "SyncServer", "Tests", "Benchmarks"] {
            let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)
            while let path = enumerator?.nextObject() as? String {
                guard path.hasSuffix(".swift") else { continue }
                let text = try String(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(path), encoding: .utf8)
                if needles.contains(where: text.contains) { users.append("\(folder)/\(path)") }
            }
        }
        #expect(users == ["Benchmarks/Sources/LoadGeneration/LoadCoordinator.swift"])
    }

    /// Children inherit none of the parent's descriptors (swift-subprocess closes them with
    /// `posix_spawn_file_actions_addclosefrom_np`).
    /// swift-subprocess reaps a child as soon as it ends, before `wait()` has seen the end;
    /// a signal sent by pid in between could reach a process (or a thread of this one) given
    /// the pid since. `ChildProcess.send` signals through a pidfd of its own instead.
    @Test("a signal through a pidfd after its child was reaped reaches nobody (ESRCH); while it runs, it is delivered")
    func pidfdOutlivesItsChild() async throws {
        let duplicate = Mutex<Int32>(-1)
        _ = try await Subprocess.run(Configuration(executable: .path("/bin/true")), input: .none, output: .discarded, error: .discarded) { execution in
            duplicate.withLock { $0 = dup(execution.processIdentifier.processDescriptor) }
        }
        let pidfd = duplicate.withLock { $0 }
        try #require(pidfd >= 0, "swift-subprocess gave no pidfd (a kernel before 5.4?)")
        defer { close(pidfd) }
        #expect(PidFD.send(SIGTERM, to: pidfd) == ESRCH)

        let sleeper = try await ChildProcess(URL(fileURLWithPath: "/bin/sleep"), ["30"])
        sleeper.terminate()
        let end = try await sleeper.wait()
        #expect(end == ChildProcess.Termination(status: SIGTERM, signalled: true))
        sleeper.terminate()
        #expect(!sleeper.isRunning)
    }

    @Test("with 300 more descriptors open, children start and inherit none of them")
    func noDescriptorsInherited() async throws {
        var opened: [Int32] = []
        defer { opened.forEach { close($0) } }
        for _ in 0..<300 {
            let descriptor = open("/dev/null", O_RDONLY)
            try #require(descriptor >= 0, "cannot open /dev/null: errno \(errno)")
            opened.append(descriptor)
        }
        for _ in 0..<5 {
            let result = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "ls /proc/self/fd | wc -l"])
            #expect(result.succeeded, "\(result.stderr)")
            // stdin, stdout, stderr and the descriptor ls reads the directory with.
            let count = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(count.map { $0 <= 4 } == true, "the child inherited descriptors: \(result.stdout)")
        }
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

import CRM
import FieldSyncTestSupport
import Foundation
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

/// Issue 13 items 1 and 2 with the real executables: a lost enrollment answer (at the fault
/// proxy) and SIGKILLs of `fieldsync enroll` never strand a device; a revoked device re-enrolls
/// and pushes its outbox; a wiped device deletes its store on its next contact.
@Suite("Enrollment recovery end to end", .serialized)
struct EnrollmentRecoveryEndToEndTests {
    static func enrollArguments(_ path: String, _ cluster: LiveCluster, code: String, name: String) -> [String] {
        ["enroll", "--db", path, "--server", cluster.proxy.url.absoluteString, "--code", code, "--name", name]
    }

    static func replica(of path: String) throws -> ReplicaID {
        try DeviceStore(path: path, schema: CRMSchema.schema).replicaID
    }

    /// The token in a raw HTTP answer of `POST /v1/enroll`.
    static func token(inRawAnswer answer: Data) throws -> String {
        let separator = Data("\r\n\r\n".utf8)
        let start = try #require(answer.range(of: separator)).upperBound
        let head = String(decoding: answer[..<start], as: UTF8.self).lowercased()
        let body = Data(answer[start...])
        let plain = head.contains("content-encoding: gzip") ? try Gzip.decompress(body) : body
        return try JSONDecoder().decode(EnrollResponse.self, from: plain).token
    }

    /// The HTTP status of `GET /v1/admin/devices` with `token` through the proxy: 401 for a
    /// token the server does not know, 403 for a rep's valid one.
    static func adminStatus(_ cluster: LiveCluster, token: String) async throws -> Int {
        let request = TransportRequest(method: "GET", path: "/v1/admin/devices", headers: ["Authorization": "Bearer \(token)"])
        return try await URLSessionTransport(baseURL: cluster.proxy.url).send(request).status
    }

    @Test("the proxy drops the enrollment's answer after the server committed it: the client's retry with the same code succeeds, the lost token is dead", arguments: StorageBackend.all)
    func lostEnrollmentAnswer(backend: StorageBackend) async throws {
        let cluster = try await LiveCluster.start(label: "enroll-lost", deviceCount: 0, seed: 131, backend: backend)
        defer { cluster.tearDown() }
        try await cluster.serverCommand(["user", "add", "rep0", "--role", "rep"] + EditGenerator.territories.flatMap { ["--territory", $0] })
        let code = try await cluster.enrollmentCode(for: "rep0")
        let lostAnswer = Locked<Data?>(nil)
        cluster.proxy.setHooks(.init(beforeReply: { exchange in
            guard exchange.path.hasSuffix("/v1/enroll") else { return true }
            return lostAnswer.withLock { lost in
                guard lost == nil else { return true }
                lost = exchange.response
                return false
            }
        }))
        let path = cluster.directory.path("phone.sqlite")
        let enrolled = try await LoggedProcess.run(cluster.client, Self.enrollArguments(path, cluster, code: code, name: "phone"), logDirectory: cluster.directory.url)
        #expect(enrolled.succeeded, "enroll after a lost answer failed: \(enrolled.stderr)")
        cluster.proxy.setHooks(.init())
        let lostToken = try Self.token(inRawAnswer: try #require(lostAnswer.value, "the proxy never saw the enrollment"))
        let store = try DeviceStore(path: path, schema: CRMSchema.schema)
        let token = try #require(try store.setting("token"))
        #expect(token != lostToken)
        #expect(try await Self.adminStatus(cluster, token: lostToken) == 401)
        #expect(try await Self.adminStatus(cluster, token: token) == 403)

        let synced = try await LoggedProcess.run(cluster.client, ["sync", "--db", path, "--json"], logDirectory: cluster.directory.url)
        #expect(synced.succeeded, "\(synced.stderr)")
        #expect(try store.pendingEnrollment() == nil)
        let devices = try await cluster.serverDevices()
        #expect(devices.map(\.replica) == [store.replicaID])
        #expect(devices.allSatisfy { !$0.isRevoked })
    }

    @Test("fieldsync enroll killed after the server committed, before the answer: the same command again, or the next sync, enrolls the device")
    func killedAfterCommit() async throws {
        let cluster = try await LiveCluster.start(label: "enroll-kill-commit", deviceCount: 0, seed: 137)
        defer { cluster.tearDown() }
        try await cluster.serverCommand(["user", "add", "rep0", "--role", "rep"] + EditGenerator.territories.flatMap { ["--territory", $0] })
        var replicas: [ReplicaID] = []
        for (index, recovery) in ["enroll again", "sync"].enumerated() {
            let code = try await cluster.enrollmentCode(for: "rep0")
            let path = cluster.directory.path("phone\(index).sqlite")
            let slot = ProcessSlot()
            cluster.proxy.setHooks(.init(beforeReply: { exchange in
                guard exchange.path.hasSuffix("/v1/enroll") else { return true }
                slot.killProcess()
                return false
            }))
            let child = try await LoggedProcess(cluster.client, Self.enrollArguments(path, cluster, code: code, name: "phone\(index)"), logDirectory: cluster.directory.url)
            slot.set(child)
            let killed = await child.wait()
            #expect(killed.killed, "fieldsync enroll should have died of SIGKILL: \(killed)")
            cluster.proxy.setHooks(.init())
            let replica = try Self.replica(of: path)
            replicas.append(replica)
            // The server committed the enrollment: the device is listed, and its store has no token.
            #expect(try await cluster.serverDevices().contains { $0.replica == replica })
            #expect(try DeviceStore(path: path, schema: CRMSchema.schema).setting("token") == nil)

            if recovery == "enroll again" {
                let again = try await LoggedProcess.run(cluster.client, Self.enrollArguments(path, cluster, code: code, name: "phone\(index)"), logDirectory: cluster.directory.url)
                #expect(again.succeeded, "the same enroll command failed after the kill: \(again.stderr)")
            }
            let synced = try await LoggedProcess.run(cluster.client, ["sync", "--db", path, "--json"], logDirectory: cluster.directory.url)
            #expect(synced.succeeded, "sync after the killed enrollment (\(recovery)) failed: \(synced.stderr)")
            #expect(try DeviceStore(path: path, schema: CRMSchema.schema).pendingEnrollment() == nil)
        }
        let devices = try await cluster.serverDevices()
        #expect(Set(devices.map(\.replica)) == Set(replicas))
        #expect(devices.count == replicas.count)
    }

    @Test("fieldsync enroll SIGKILLed at random points: the same command again always enrolls the device, and it syncs")
    func killedAtRandomPoints() async throws {
        let cluster = try await LiveCluster.start(label: "enroll-kill-random", deviceCount: 0, seed: 139)
        defer { cluster.tearDown() }
        try await cluster.serverCommand(["user", "add", "rep0", "--role", "rep"] + EditGenerator.territories.flatMap { ["--territory", $0] })
        var rng = SplitMix64(seed: 139)
        var paths: [String] = []
        var landed = 0
        for index in 0..<12 {
            let code = try await cluster.enrollmentCode(for: "rep0")
            let path = cluster.directory.path("phone\(index).sqlite")
            paths.append(path)
            let arguments = Self.enrollArguments(path, cluster, code: code, name: "phone\(index)")
            let child = try await LoggedProcess(cluster.client, arguments, logDirectory: cluster.directory.url)
            try await Task.sleep(for: .milliseconds(rng.int(0...400)))
            if child.isRunning {
                child.kill()
                landed += 1
            }
            let first = await child.wait()
            #expect(first.killed || first.succeeded, "enroll failed on its own: \(first.stderr)")
            let again = try await LoggedProcess.run(cluster.client, arguments, logDirectory: cluster.directory.url)
            #expect(again.succeeded, "phone\(index): the same enroll command failed after \(first.killed ? "a kill" : "success"): \(again.stderr)")
            let synced = try await LoggedProcess.run(cluster.client, ["sync", "--db", path, "--json"], logDirectory: cluster.directory.url)
            #expect(synced.succeeded, "phone\(index): sync failed: \(synced.stderr)")
        }
        let replicas = try paths.map(Self.replica(of:))
        let devices = try await cluster.serverDevices()
        #expect(devices.count == paths.count, "every device store enrolled exactly once")
        #expect(Set(devices.map(\.replica)) == Set(replicas))
        #expect(devices.allSatisfy { !$0.isRevoked })
        print("enrollment kills: \(landed) of 12 landed while fieldsync enroll ran; 12 devices enrolled and synced")
    }

    @Test("a revoked device re-enrolls with a new code of its user and pushes the edits it made meanwhile")
    func revokedDeviceReenrolls() async throws {
        let cluster = try await LiveCluster.start(label: "enroll-revoked", deviceCount: 1, seed: 149)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: 149)
        try cluster.edit(0, count: 20, rng: &rng)
        let pending = try cluster.outboxCount(0)
        #expect(pending >= 20)
        let replica = try Self.replica(of: cluster.devices[0])
        try await cluster.serverCommand(["device", "revoke", replica.rawValue])

        let refused = try await cluster.sync(0)
        #expect(!refused.succeeded)
        #expect(refused.stderr.contains("device_revoked"), "\(refused.stderr)")
        #expect(try cluster.outboxCount(0) == pending)

        let code = try await cluster.enrollmentCode(for: "rep0")
        let enrolled = try await LoggedProcess.run(cluster.client, Self.enrollArguments(cluster.devices[0], cluster, code: code, name: "device0"), logDirectory: cluster.directory.url)
        #expect(enrolled.succeeded, "re-enrollment of the revoked device failed: \(enrolled.stderr)")
        let synced = try await cluster.sync(0)
        #expect(synced.succeeded, "\(synced.stderr)")
        let summary = try JSONDecoder().decode(SyncSummaryLine.self, from: Data(synced.stdout.utf8))
        #expect(summary.accepted == pending)
        #expect(try cluster.outboxCount(0) == 0)
        let devices = try await cluster.serverDevices()
        #expect(devices.map(\.replica) == [replica])
        #expect(devices.allSatisfy { !$0.isRevoked })
        let problems = try await cluster.recoverAndCheck()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("fieldsync-server device reassign: a revoked device comes back as another user's with that user's code and pushes its edits")
    func reassignedDeviceComesBack() async throws {
        let cluster = try await LiveCluster.start(label: "enroll-reassign", deviceCount: 1, seed: 157)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: 157)
        try cluster.edit(0, count: 10, rng: &rng)
        let pending = try cluster.outboxCount(0)
        let replica = try Self.replica(of: cluster.devices[0])
        try await cluster.serverCommand(["user", "add", "rep1", "--role", "rep"] + EditGenerator.territories.flatMap { ["--territory", $0] })
        let code = try await cluster.enrollmentCode(for: "rep1")
        let arguments = Self.enrollArguments(cluster.devices[0], cluster, code: code, name: "device0")

        // Without the admin's approval, another user's code is refused and stays unused.
        let refused = try await LoggedProcess.run(cluster.client, arguments, logDirectory: cluster.directory.url)
        #expect(!refused.succeeded)
        #expect(refused.stderr.contains("replica_already_enrolled"), "\(refused.stderr)")
        try await cluster.serverCommand(["device", "revoke", replica.rawValue])
        try await cluster.serverCommand(["device", "reassign", replica.rawValue, "--user", "rep1"])

        let enrolled = try await LoggedProcess.run(cluster.client, arguments, logDirectory: cluster.directory.url)
        #expect(enrolled.succeeded, "\(enrolled.stderr)")
        #expect(enrolled.stdout.contains("enrolled as rep1"), "\(enrolled.stdout)")
        let synced = try await cluster.sync(0)
        #expect(synced.succeeded, "\(synced.stderr)")
        #expect(try cluster.outboxCount(0) == 0, "\(pending) edits were pending")
        let devices = try await cluster.serverDevices()
        #expect(devices.map(\.replica) == [replica])
        #expect(devices.first?.user.name == "rep1" && devices.first?.isRevoked == false)
        let problems = try await cluster.recoverAndCheck()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a wiped device: its next sync is refused, nothing of it is applied, and the CLI deletes its store and says why")
    func wipedDeviceDeletesItsStore() async throws {
        let cluster = try await LiveCluster.start(label: "enroll-wiped", deviceCount: 1, seed: 151)
        defer { cluster.tearDown() }
        var rng = SplitMix64(seed: 151)
        try cluster.edit(0, count: 10, rng: &rng)
        let replica = try Self.replica(of: cluster.devices[0])
        let before = try await cluster.serverState().logCount
        try await cluster.serverCommand(["device", "wipe", replica.rawValue])

        let result = try await cluster.sync(0)
        #expect(!result.succeeded)
        #expect(result.stderr.contains("wiped"), "\(result.stderr)")
        #expect(result.stderr.contains(cluster.devices[0]), "the message names the deleted store: \(result.stderr)")
        for suffix in ["", "-wal", "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: cluster.devices[0] + suffix), "\(cluster.devices[0] + suffix) is still there")
        }
        #expect(try await cluster.serverState().logCount == before)
        let listed = try await cluster.serverCommand(["device", "list"])
        #expect(listed.contains("\(replica.rawValue)") && listed.contains("wiped"), "\(listed)")
    }
}

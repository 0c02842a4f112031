import CRM
import Foundation
import LoadGeneration
import SyncClient
import SyncCore
import SyncStore

/// Enrolls the replay's devices: an admin device issues each an enrollment code; one device
/// per user bootstraps from the server and its answers are played back into that user's
/// other devices, so every device holds its user's scope and cursor as after a real bootstrap.
struct DeviceEnrollment {
    let servers: [URL]
    let adminCode: String
    let plan: ReplayPlan

    /// The enrolled devices, and an admin device (its replica and token), whose bootstrap
    /// requests read the log's head.
    func devices() async throws -> (devices: [ReplayDevice], admin: (replica: ReplicaID, token: String)) {
        let adminStore = try ReplayDevice.makeStore()
        let adminDevice = SyncClient(store: adminStore, transport: URLSessionTransport(baseURL: servers[0]), logger: ReplayDevice.quietLogger)
        try await adminDevice.enroll(code: adminCode, deviceName: "fieldsync-replay admin", serverURL: servers[0].absoluteString)
        guard let adminToken = try adminStore.setting("token") else { throw ReplayError("enrolling the admin device gave no token") }
        let admin = AdminClient(transport: URLSessionTransport(baseURL: servers[0]), token: adminToken)
        let people = try await admin.users().filter { $0.role != "admin" }.map(\.name).sorted()
        guard !people.isEmpty else { throw ReplayError("the server has no users to enroll devices for") }

        // Device n belongs to user n mod U and talks to server n mod S. A user's devices enroll
        // one after another (issuing a code replaces the user's last one); users in parallel.
        let byUser = Dictionary(grouping: 0..<plan.devices) { people[$0 % people.count] }
        let devices = try await withThrowingTaskGroup(of: [ReplayDevice].self) { group in
            for (user, numbers) in byUser {
                group.addTask { try await enrollDevices(of: user, numbers: numbers, admin: admin) }
            }
            var all: [ReplayDevice] = []
            for try await part in group { all += part }
            return all
        }
        return (devices.sorted { $0.number < $1.number }, (adminStore.replicaID, adminToken))
    }

    /// The server records the scope a device's data was replicated under when the device
    /// asks for the first page of a bootstrap; until then it answers every sync with `resync`.
    /// A played-back device asks for that first page itself (one record), as a device that
    /// bootstrapped from this server did.
    static func startReplication(store: DeviceStore, server: URL) async throws {
        guard let token = try store.setting("token") else { throw ReplayError("a device has no token after enrolling") }
        let now = DeviceStore.systemMilliseconds()
        let request = SyncRequest(
            replica: store.replicaID, clientTime: now, cursor: nil, changes: [], bootstrap: BootstrapCursor(day: SyncClient.localDay(now)), limit: 1
        )
        let body = try PreparedBody(request).body(cursor: nil)
        let response = try await URLSessionTransport(baseURL: server).send(TransportRequest(
            method: "POST", path: "/v1/sync",
            headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"], body: Data(body.bytes)
        ))
        guard (200..<300).contains(response.status) else {
            throw ReplayError("a device's first bootstrap page: HTTP \(response.status)")
        }
    }

    private func enrollDevices(of user: String, numbers: [Int], admin: AdminClient) async throws -> [ReplayDevice] {
        let recorder = RecordingTransport(URLSessionTransport(baseURL: servers[0]))
        let template = SyncClient(store: try ReplayDevice.makeStore(), transport: recorder, logger: ReplayDevice.quietLogger)
        try await template.enroll(code: try await admin.issueEnrollmentCode(for: user), deviceName: "fieldsync-replay \(user) template", serverURL: servers[0].absoluteString)
        _ = try await template.sync()
        let answers = recorder.recorded

        var devices: [ReplayDevice] = []
        for number in numbers {
            let server = servers[number % servers.count]
            let store = try ReplayDevice.makeStore()
            let online = SyncClient(store: store, transport: URLSessionTransport(baseURL: server), logger: ReplayDevice.quietLogger)
            try await online.enroll(code: try await admin.issueEnrollmentCode(for: user), deviceName: "fieldsync-replay \(number)", serverURL: server.absoluteString)
            let playback = SyncClient(store: store, transport: PlaybackTransport(answers), logger: ReplayDevice.quietLogger)
            _ = try await playback.sync()
            try await Self.startReplication(store: store, server: server)
            devices.append(try ReplayDevice(number: number, user: user, server: server, store: store, seed: plan.seed, pageLimit: plan.pageLimit))
        }
        return devices
    }
}

import CRM
import Foundation
import LoadGeneration
import Logging
import Synchronization
import SyncClient
import SyncCore
import SyncStore

/// One enrolled device of the replay: a real `DeviceStore` holding its user's scope, in which
/// its edits are made (so every change is what `SyncClient` would push: its dot, HLC and
/// context), and the token it authenticates with.
///
/// @unchecked Sendable: between steps one task prepares its pushes; during a step only the
/// device's lane reads it and moves `cursor`. Steps never overlap.
final class ReplayDevice: @unchecked Sendable {
    let number: Int
    let user: String
    let server: URL
    let token: String
    let store: DeviceStore
    /// The last log sequence the device read (from its bootstrap, then from every answer).
    var cursor: LogSequence?
    let pullBody: PreparedBody
    let bootstrapBody: PreparedBody
    private var edits: FieldEdits
    private var rng: SplitMix64
    private let pageLimit: Int

    init(number: Int, user: String, server: URL, store: DeviceStore, seed: UInt64, pageLimit: Int) throws {
        self.number = number
        self.user = user
        self.server = server
        self.store = store
        self.pageLimit = pageLimit
        guard let token = try store.setting("token") else { throw ReplayError("device \(number) has no token after enrolling") }
        self.token = token
        cursor = try store.cursor()
        guard cursor != nil else { throw ReplayError("device \(number) has no cursor after its bootstrap") }
        edits = FieldEdits(user: user)
        try edits.refresh(from: store)
        rng = SplitMix64(seed: seed &+ UInt64(number) &* 0x9E37_79B9)
        let now = DeviceStore.systemMilliseconds()
        pullBody = try PreparedBody(SyncRequest(replica: store.replicaID, clientTime: now, cursor: 0, changes: [], limit: pageLimit))
        // A new phone's first request: no cursor, the snapshot's first page for today.
        bootstrapBody = try PreparedBody(SyncRequest(
            replica: store.replicaID, clientTime: now, cursor: nil, changes: [],
            bootstrap: BootstrapCursor(day: SyncClient.localDay(now)), limit: pageLimit
        ))
    }

    /// A push of `count` new changes: edits a rep makes (visits, stage moves, corrections),
    /// each applied to the store in its own transaction as the app does, in dot order.
    func preparePush(changes count: Int) throws -> PreparedBody {
        var changes: [Change] = []
        var attempts = 0
        while changes.count < count && attempts < count * 5 {
            attempts += 1
            guard let edit = try edits.next(in: store, rng: &rng) else { break }
            // An edit the domain rules refuse (a stage move the record no longer allows) is
            // refused on the phone too and never sent.
            if let change = try? store.apply(edit) { changes.append(change) }
        }
        guard !changes.isEmpty else { throw ReplayError("device \(number) of \(user) has nothing in scope to edit") }
        return try PreparedBody(SyncRequest(
            replica: store.replicaID, clientTime: DeviceStore.systemMilliseconds(), cursor: 0, changes: changes, limit: pageLimit
        ))
    }

    func randomInt(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &rng)
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "fieldsync.replay")
        logger.logLevel = .critical
        return logger
    }()

    static func makeStore() throws -> DeviceStore {
        try DeviceStore(path: nil, schema: CRMSchema.schema, rule: { input in
            try CRMRules.assignments(for: input.entity, current: input.current, proposed: input.assignments, now: input.now, reopen: input.reopen)
        }, logger: quietLogger)
    }
}

/// Sends through another transport and keeps every sync answer: the bootstrap of one device
/// per user, replayed into that user's other devices without asking the server again.
final class RecordingTransport: SyncTransport {
    private let inner: any SyncTransport
    private let answers = Mutex<[TransportResponse]>([])

    init(_ inner: any SyncTransport) {
        self.inner = inner
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let response = try await inner.send(request)
        if request.path == "/v1/sync" && (200..<300).contains(response.status) {
            answers.withLock { $0.append(response) }
        }
        return response
    }

    var recorded: [TransportResponse] { answers.withLock { $0 } }
}

/// Answers a device's sync requests with recorded answers, in order: its store then holds
/// what a bootstrap from the server gives (the records and the cursor), built by the real
/// client code, at a fraction of the server's time.
final class PlaybackTransport: SyncTransport {
    private let answers: [TransportResponse]
    private let next = Mutex(0)

    init(_ answers: [TransportResponse]) {
        self.answers = answers
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let index = next.withLock { value in
            defer { value += 1 }
            return value
        }
        guard index < answers.count else { throw ReplayError("the recorded bootstrap has \(answers.count) answers; the device asked for more") }
        return answers[index]
    }
}

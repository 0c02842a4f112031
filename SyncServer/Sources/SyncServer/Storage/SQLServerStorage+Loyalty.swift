import Foundation
import CRM
import SyncCore

/// The server's part of loyalty escrow (see SyncServer/README.md, "Loyalty escrow"): it checks
/// every pushed ledger entry against the account's ledger inside the push transaction, and
/// answers an escrow request with a grant in the same transaction.
extension SQLServerStorage {
    /// Why a pushed change that merges cleanly must still be refused; nil to accept.
    static func loyaltyRefusal(of change: Change, current: RecordState?, merged: RecordState, _ db: any SQLDatabase) async throws -> LoyaltyError? {
        if LoyaltyLedger.decrementsCounter(change, current: current) {
            return LoyaltyError(.counterDecrement, .pointsLeaveByRedemption)
        }
        guard change.entity == CRMSchema.loyaltyEntry.name else { return nil }
        guard current == nil else {
            return LoyaltyError(.entryImmutable, .entryExists, ["entry": change.recordID])
        }
        guard merged.existence.siblings.map(\.value) == [.bool(true)], let entry = LoyaltyEntry(merged) else {
            return LoyaltyError(.invalidPoints, .entryCreatedWhole)
        }
        return try await loyaltyLedger(of: entry.account, db).admission(of: entry, from: change.dot.replica.rawValue)
    }

    /// The ledger of `account` as the server holds it.
    static func loyaltyLedger(of account: RecordID, _ db: any SQLDatabase) async throws -> LoyaltyLedger {
        let entries = try await String.fetchAll(
            db,
            sql: LoyaltySQL.entriesOfAccount,
            arguments: [CRMSchema.loyaltyEntry.name, account]
        ).compactMap { LoyaltyEntry(try ServerJSON.decode(RecordState.self, from: $0)) }
        let legacy = try await loadRecord(db, entity: CRMSchema.account.name, id: account)?.value(of: "loyalty_points").intValue ?? 0
        return LoyaltyLedger(account: account, legacyPoints: legacy, entries: entries)
    }

    /// When `state` is a just-accepted escrow request, grants its device what no other device
    /// holds (up to the request), as the server's own ledger entry, first moving the account's
    /// legacy `loyalty_points` into an opening entry. Nothing when there is nothing to grant.
    static func answerEscrowRequest(in state: RecordState, at time: Int64, schema: Schema, _ db: any SQLDatabase) async throws {
        guard let request = LoyaltyEntry(state), request.movement == .request, let device = request.device else { return }
        var ledger = try await loyaltyLedger(of: request.account, db)
        var writes: [RecordWrite] = []
        if ledger.legacyPoints != 0 {
            let opening = LoyaltyEntry(
                id: RecordIDs.make(), account: request.account, movement: .opening, points: ledger.legacyPoints,
                reason: "moved from the account's loyalty_points", at: Instant(secondsSinceEpoch: time / 1000).description
            )
            writes.append(RecordWrite(entity: CRMSchema.account.name, id: request.account, fields: ["loyalty_points": .value(.int(0))]))
            writes.append(RecordWrite(entry: opening))
            ledger.legacyPoints = 0
            ledger.append(opening)
        }
        let granted = ledger.grant(forRequest: request.points)
        if granted > 0 {
            writes.append(
                RecordWrite(
                    entry: LoyaltyEntry(
                        id: RecordIDs.make(), account: request.account, movement: .grant, points: granted, device: device,
                        reason: "escrow for request \(request.id)", at: Instant(secondsSinceEpoch: time / 1000).description
                    )
                )
            )
        }
        _ = try await storeServerWrites(writes, physicalTime: time, schema: schema, db)
    }

    /// Hands back every escrow `replica` holds (inside the wipe's transaction): the device
    /// will never redeem it, so the points become grantable to other devices again.
    static func releaseEscrow(of replica: ReplicaID, schema: Schema, physicalTime: Int64, _ db: any SQLDatabase) async throws {
        let device = replica.rawValue
        let entries = try await String.fetchAll(db, sql: LoyaltySQL.statesOfEntity, arguments: [CRMSchema.loyaltyEntry.name])
            .compactMap { LoyaltyEntry(try ServerJSON.decode(RecordState.self, from: $0)) }
            .filter { $0.device == device }
        var writes: [RecordWrite] = []
        for account in Set(entries.map(\.account)).sorted() {
            let escrow = LoyaltyLedger(account: account, entries: entries).escrow(of: device)
            guard escrow > 0 else { continue }
            writes.append(RecordWrite(entry: LoyaltyEntry(
                id: RecordIDs.make(), account: account, movement: .return, points: escrow, device: device,
                reason: "escrow released: device wiped", at: Instant(secondsSinceEpoch: physicalTime / 1000).description
            )))
        }
        _ = try await storeServerWrites(writes, physicalTime: physicalTime, schema: schema, db)
    }

    public func adjustLoyaltyPoints(account: RecordID, points: Int64, reason: String, admin: String, physicalTime: Int64) async throws -> LoyaltyLedger {
        let schema = self.schema
        return try await write { db in
            guard let record = try await Self.loadRecord(db, entity: CRMSchema.account.name, id: account),
                !record.isDeleted(policy: CRMSchema.account.deletionPolicy)
            else {
                throw ServerError(.notFound, .noAccount, ["id": account])
            }
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw ServerError(.invalidRequest, .adjustmentNeedsReason) }
            var ledger = try await Self.loyaltyLedger(of: account, db)
            do throws(LoyaltyError) {
                try ledger.checkAdjustment(points)
            } catch {
                throw ServerError(error.code == .balanceExceeded ? .loyaltyBalanceExceeded : .invalidRequest, refusal: error.refusal)
            }
            let entry = LoyaltyEntry(
                id: RecordIDs.make(), account: account, movement: .adjust, points: points, reason: "\(trimmed) (by \(admin))",
                at: Instant(secondsSinceEpoch: physicalTime / 1000).description
            )
            _ = try await Self.storeServerWrites([RecordWrite(entry: entry)], physicalTime: physicalTime, schema: schema, db)
            ledger.append(entry)
            return ledger
        }
    }
}

extension RecordWrite {
    /// The server write that creates a ledger entry.
    init(entry: LoyaltyEntry) {
        self.init(entity: CRMSchema.loyaltyEntry.name, id: entry.id, fields: Dictionary(uniqueKeysWithValues: entry.fields.map { ($0.name, .value($0.value)) }))
    }
}

/// The statements of SQLServerStorage+Loyalty.swift, written for each backend (`SQLCatalog`).
enum LoyaltySQL: SQLCatalog {
    case entriesOfAccount, statesOfEntity

    var statement: SQLStatement {
        switch self {
        case .entriesOfAccount: "SELECT state FROM records WHERE entity = $1 AND account_id = $2"
        case .statesOfEntity: "SELECT state FROM records WHERE entity = $1"
        }
    }
}

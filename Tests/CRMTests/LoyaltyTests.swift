import CRM
import Foundation
import SyncCore
import Testing

@Suite("Loyalty ledger and program")
struct LoyaltyTests {
    static let account = Sample.id(1)
    static let alice = "device-a"
    static let bob = "device-b"

    static func entry(_ number: Int, _ movement: LoyaltyMovement, _ points: Int64, device: String? = nil, order: RecordID? = nil) -> LoyaltyEntry {
        LoyaltyEntry(id: Sample.id(100 + number), account: account, movement: movement, points: points, device: device, order: order)
    }

    @Test("balance, lifetime, escrow and unallocated are derived from the entries")
    func derived() {
        let ledger = LoyaltyLedger(account: Self.account, legacyPoints: 20, entries: [
            Self.entry(1, .earn, 100), Self.entry(2, .grant, 70, device: Self.alice), Self.entry(3, .redeem, 30, device: Self.alice),
            Self.entry(4, .return, 10, device: Self.alice), Self.entry(5, .request, 500, device: Self.bob), Self.entry(6, .adjust, -5),
            LoyaltyEntry(id: Sample.id(7), account: Sample.id(2), movement: .earn, points: 1000),
        ])
        #expect(ledger.balance == 20 + 100 - 30 - 5)
        #expect(ledger.lifetimePoints == 120)
        #expect(ledger.escrow(of: Self.alice) == 30)
        #expect(ledger.escrow(of: Self.bob) == 0)
        #expect(ledger.unallocated == 85 - 30)
        #expect(ledger.grant(forRequest: 500) == 55)
        #expect(ledger.grant(forRequest: 7) == 7)
    }

    @Test("a redemption beyond the device's escrow is refused with a stable code saying what it may redeem")
    func redemption() throws {
        let ledger = LoyaltyLedger(account: Self.account, entries: [Self.entry(1, .earn, 100), Self.entry(2, .grant, 40, device: Self.alice)])
        try ledger.checkRedemption(of: 40, by: Self.alice)
        let refusal = #expect(throws: LoyaltyError.self) { try ledger.checkRedemption(of: 41, by: Self.alice) }
        #expect(refusal?.code == .escrowExceeded)
        #expect(refusal?.message.contains("may redeem 40 of the account's 100 points") == true)
        #expect(throws: LoyaltyError.self) { try ledger.checkRedemption(of: 1, by: Self.bob) }
        #expect(throws: LoyaltyError.self) { try ledger.checkRedemption(of: 0, by: Self.alice) }
    }

    @Test("the server's rules for pushed entries")
    func admission() {
        let order = Sample.id(50)
        let ledger = LoyaltyLedger(account: Self.account, entries: [Self.entry(1, .earn, 100, order: order), Self.entry(2, .grant, 40, device: Self.alice)])
        #expect(ledger.admission(of: Self.entry(3, .redeem, 40, device: Self.alice), from: Self.alice) == nil)
        #expect(ledger.admission(of: Self.entry(3, .redeem, 41, device: Self.alice), from: Self.alice)?.code == .escrowExceeded)
        #expect(ledger.admission(of: Self.entry(3, .return, 41, device: Self.alice), from: Self.alice)?.code == .escrowExceeded)
        #expect(ledger.admission(of: Self.entry(3, .redeem, 10, device: Self.alice), from: Self.bob)?.code == .deviceMismatch)
        #expect(ledger.admission(of: Self.entry(3, .grant, 10, device: Self.alice), from: Self.alice)?.code == .serverOnly)
        #expect(ledger.admission(of: Self.entry(3, .adjust, 10), from: Self.alice)?.code == .serverOnly)
        #expect(ledger.admission(of: Self.entry(3, .opening, 10), from: Self.alice)?.code == .serverOnly)
        #expect(ledger.admission(of: Self.entry(3, .earn, -10), from: Self.alice)?.code == .invalidPoints)
        #expect(ledger.admission(of: Self.entry(3, .earn, 10, order: order), from: Self.alice)?.code == .alreadyEarned)
        #expect(ledger.admission(of: Self.entry(3, .earn, 10, order: Sample.id(51)), from: Self.alice) == nil)
        #expect(ledger.admission(of: Self.entry(3, .request, 1000, device: Self.alice), from: Self.alice) == nil)
    }

    @Test("an adjustment takes at most the unallocated points")
    func adjustment() throws {
        let ledger = LoyaltyLedger(account: Self.account, entries: [Self.entry(1, .earn, 100), Self.entry(2, .grant, 40, device: Self.alice)])
        try ledger.checkAdjustment(-60)
        try ledger.checkAdjustment(500)
        #expect(throws: LoyaltyError(.balanceExceeded, .adjustmentBeyondUnallocated, ["unallocated": 60, "points": -61])) {
            try ledger.checkAdjustment(-61)
        }
        #expect(throws: LoyaltyError.self) { try ledger.checkAdjustment(0) }
    }

    @Test("orders earn by the program's rule, rounded down; levels by lifetime points; both set by target records")
    func program() throws {
        let standard = LoyaltyProgram.standard
        #expect(standard.points(forOrderTotal: Amount("12345.67")!) == 123)
        #expect(standard.points(forOrderTotal: Amount("99.99")!) == 0)
        #expect(standard.points(forOrderTotal: Amount("-500")!) == 0)
        #expect(standard.level(forLifetimePoints: 999).name == "member (普通会员)")
        #expect(standard.level(forLifetimePoints: 1_000).name == "silver (银卡)")
        #expect(standard.level(forLifetimePoints: 25_000).name == "platinum (白金卡)")
        #expect(standard.nextLevel(after: 4_000)?.missing == 1_000)
        #expect(standard.nextLevel(after: 20_000) == nil)

        let targets = try StateBuilder.states([
            Sample.record("target", 1, ["kpi": .string("points_per_100"), "value": .string("2.5")]),
            Sample.record("target", 2, ["kpi": .string("level_gold"), "value": .string("3000")]),
            // A rep's own target does not set the company's program.
            Sample.record("target", 3, ["kpi": .string("level_silver"), "value": .string("10"), "rep": .string("alice")]),
        ])
        let program = LoyaltyProgram(targets: targets)
        #expect(program.points(forOrderTotal: Amount("1000")!) == 25)
        #expect(program.level(forLifetimePoints: 3_000).name == "gold (金卡)")
        #expect(program.level(forLifetimePoints: 10).name == "member (普通会员)")

        // A setting the admin deleted no longer counts: the standard value is back, as for
        // the stage probabilities.
        var deletedGold = targets[1]
        _ = try deletedGold.merge(Change(
            entity: "target", recordID: deletedGold.id, dot: Dot(replica: StateBuilder.replica, counter: 100),
            hlc: HLC(physical: 1_795_000_001_000), context: deletedGold.version, operations: [FieldOperation(field: "", operation: .delete)]
        ))
        let withoutGold = LoyaltyProgram(targets: [targets[0], deletedGold, targets[2]])
        #expect(withoutGold.points(forOrderTotal: Amount("1000")!) == 25)
        #expect(withoutGold.level(forLifetimePoints: 3_000).name == "silver (银卡)")
        #expect(withoutGold.nextLevel(after: 3_000)?.missing == 2_000)
    }

    @Test("the report model's loyalty points are the legacy counter plus the ledger")
    func reportBalance() throws {
        var account = Sample.account(1, "Apex")
        account.values["loyalty_points"] = .int(20)
        let states = try StateBuilder.states([
            account,
            Sample.record("loyalty_entry", 2, ["account": .string(Self.account), "kind": .string("earn"), "points": .int(100)]),
            Sample.record("loyalty_entry", 3, ["account": .string(Self.account), "kind": .string("redeem"), "points": .int(30), "device": .string(Self.alice)]),
            Sample.record("loyalty_entry", 4, ["account": .string(Self.account), "kind": .string("grant"), "points": .int(50), "device": .string(Self.alice)]),
        ])
        #expect(CRMDataSet(states: states).accounts.first?.loyaltyPoints == 90)
    }
}

import CRM
import FieldWork
import SyncCore
import SyncStore
import Testing

/// Field-level rights on the device (issue 16 item 2): a rep's plain edit of a stamp a
/// workflow owns is refused with `workflow_owned_field`, naming the workflow; the workflows
/// still write them; a manager's device corrects one, and the correction is in its history.
struct FieldRightsTests {
    static func resolvedTicket(_ fixture: FieldWorkFixture) throws -> RecordID {
        let ticket = try fixture.work.openTicket(FieldWork.NewTicket(
            account: fixture.account, title: "发票错误", at: try FieldTime.parse("2026-11-20T09:00+08:00")
        )).recordID
        _ = try fixture.work.ticket(ticket, .acknowledge, at: try FieldTime.parse("2026-11-20T10:00+08:00"))
        _ = try fixture.work.ticket(ticket, .start, at: try FieldTime.parse("2026-11-20T10:30+08:00"))
        _ = try fixture.work.ticket(ticket, .resolve, at: try FieldTime.parse("2026-11-20T11:00+08:00"))
        return ticket
    }

    static func plainEdit(_ fixture: FieldWorkFixture, _ entity: String, _ id: RecordID, _ assignments: [String: String], clearing: [String] = []) throws -> AppliedEdit {
        let bench = Workbench(store: fixture.store)
        let schema = try bench.entity(entity)
        let record = try bench.liveRecord(schema, id)
        let operations = try bench.editor(schema, current: record).operations(
            assigning: assignments.keys.sorted().map { FieldAssignment(field: $0, text: assignments[$0] ?? "") }, clearing: clearing
        )
        return try bench.apply(.update(schema.name, id: record.id, operations))
    }

    @Test func aRepsPlainEditOfAWorkflowStampIsRefusedNamingTheWorkflow() throws {
        let fixture = try FieldWorkFixture()
        let ticket = try Self.resolvedTicket(fixture)
        let deal = try fixture.seed("opportunity", ["account": .string(fixture.account), "title": .string("Pumps"), "stage": .string("won"), "closed_on": .string("2026-11-01")])
        let before = try #require(try fixture.record("ticket", ticket))
        let outbox = try fixture.store.pendingChanges().count

        for (field, value) in [("resolved_at", "2026-11-20T01:30:00Z"), ("opened_at", "2026-11-19T01:00:00Z"), ("first_response_at", "2026-11-20T01:10:00Z")] {
            #expect { try Self.plainEdit(fixture, "ticket", ticket, [field: value, "description": "called twice"]) } throws: { error in
                FieldWorkFixture.code(of: error) == "workflow_owned_field" && "\(error)".contains("fieldsync ticket")
            }
        }
        #expect { try Self.plainEdit(fixture, "ticket", ticket, [:], clearing: ["resolved_at"]) } throws: { FieldWorkFixture.code(of: $0) == "workflow_owned_field" }
        #expect { try Self.plainEdit(fixture, "account", fixture.account, ["tier": "A"]) } throws: { error in
            FieldWorkFixture.code(of: error) == "workflow_owned_field" && "\(error)".contains("fieldsync classify")
        }
        #expect { try Self.plainEdit(fixture, "opportunity", deal, ["closed_on": "2026-10-01"]) } throws: { error in
            FieldWorkFixture.code(of: error) == "workflow_owned_field" && "\(error)".contains("fieldsync opportunity stage")
        }
        #expect(try fixture.record("ticket", ticket) == before, "nothing of a refused edit is written")
        #expect(try fixture.store.pendingChanges().count == outbox)

        // Other fields stay plain edits.
        let notes = try Self.plainEdit(fixture, "ticket", ticket, ["description": "called twice"])
        #expect(notes.fields == ["description"])
    }

    @Test func theClassificationWritesTheTierWithItsDay() throws {
        let fixture = try FieldWorkFixture()
        let parameters = try ReportParameters(query: ["as_of": "2026-11-20"])
        let classification = try fixture.work.classification(parameters)
        let edits = try fixture.work.apply(classification)
        let account = try #require(edits.first("account"))
        #expect(Set(account.fields).isSuperset(of: ["tier", "classified_on"]))
        #expect(account.after?.value("classified_on") == .string("2026-11-20"))
        #expect(fixture.store.schema.entity("account")?.workflowRefusal(of: account.change) == nil, "the server takes the workflow's write")
    }

    @Test func aManagersDeviceCorrectsAStampAndItsHistoryShowsIt() throws {
        let fixture = try FieldWorkFixture()
        let ticket = try Self.resolvedTicket(fixture)
        #expect { try Self.plainEdit(fixture, "ticket", ticket, ["resolved_at": "2026-11-20T02:15:00Z"]) } throws: {
            FieldWorkFixture.code(of: $0) == "workflow_owned_field"
        }
        try fixture.store.setSettings(["user": "mia", "role": "manager"])
        let corrected = try Self.plainEdit(fixture, "ticket", ticket, ["resolved_at": "2026-11-20T02:15:00Z"])
        #expect(corrected.fields == ["resolved_at"])
        #expect(try fixture.record("ticket", ticket)?.value("resolved_at") == .string("2026-11-20T02:15:00Z"))
        let last = try #require(try fixture.store.history("ticket", id: ticket).last)
        #expect(last.change.dot == corrected.change.dot)
        #expect(last.diff["resolved_at"]?.old == .value(.string("2026-11-20T03:00:00Z")))
        #expect(last.diff["resolved_at"]?.new == .value(.string("2026-11-20T02:15:00Z")))
    }

    /// Points move through the ledger (`fieldsync points earn / redeem`): a rep's plain edit of
    /// the legacy counter is refused before anything is written, raising it as well as lowering
    /// it; a manager's device may correct it, and the correction is in its history.
    @Test func aRepsPlainEditOfLoyaltyPointsIsRefusedNamingThePointsCommands() throws {
        let fixture = try FieldWorkFixture()
        let before = try #require(try fixture.record("account", fixture.account))
        let outbox = try fixture.store.pendingChanges().count
        for total in ["+500", "500", "0", "-5"] {
            #expect { try Self.plainEdit(fixture, "account", fixture.account, ["loyalty_points": total, "notes": "a good customer"]) } throws: { error in
                FieldWorkFixture.code(of: error) == "workflow_owned_field" && "\(error)".contains("fieldsync points earn")
                    && "\(error)".contains("loyalty_points")
            }
        }
        #expect(try fixture.record("account", fixture.account) == before, "nothing of a refused edit is written")
        #expect(try fixture.store.pendingChanges().count == outbox)

        // The counter reps do move by hand: samples handed out.
        let samples = try Self.plainEdit(fixture, "account", fixture.account, ["samples_given": "3"])
        #expect(samples.fields == ["samples_given"])
        #expect(try fixture.record("account", fixture.account)?.value("samples_given") == .int(3))

        try fixture.store.setSettings(["user": "mia", "role": "manager"])
        let corrected = try Self.plainEdit(fixture, "account", fixture.account, ["loyalty_points": "40"])
        #expect(corrected.fields == ["loyalty_points"])
        let last = try #require(try fixture.store.history("account", id: fixture.account).last)
        #expect(last.change.dot == corrected.change.dot)
        #expect(last.diff["loyalty_points"]?.new == .value(.int(40)))
    }
}

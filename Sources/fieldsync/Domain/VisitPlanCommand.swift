import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncCore

/// `fieldsync visit plan ACCOUNT --on DAY [--at TIME] [--order N] [--purpose TEXT]`
struct PlanVisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: CLIHelp.planVisitAbstract(),
        discussion: CLIHelp.planVisitDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.planVisitAccount()))
    var account: String

    @Option(help: ArgumentHelp(CLIHelp.planVisitOn(), valueName: "day"))
    var on: String

    @Option(help: ArgumentHelp(CLIHelp.planVisitAt(), valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp(CLIHelp.planVisitOrder(), valueName: "n"))
    var order: Int?

    @Option(help: ArgumentHelp(CLIHelp.planVisitPurpose()))
    var purpose: String?

    @Option(help: ArgumentHelp(CLIHelp.planVisitContact()))
    var contact: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let day = try Days.calendarDay(on)
            let request = FieldWork.VisitPlanRequest(
                account: account, day: day, at: try at.map { text throws in try FieldTime.parse(text, on: day) }, routeOrder: order,
                purpose: purpose, contact: contact
            )
            try bench.report(try FieldWork(bench: bench).planVisit(request), verb: .planned, json: output.json)
        }
    }
}

/// `fieldsync visit reorder PLAN…`
struct ReorderVisitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reorder",
        abstract: CLIHelp.reorderVisitsAbstract(),
        discussion: CLIHelp.reorderVisitsDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.reorderVisitsPlans()))
    var plans: [String]

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let edits = try FieldWork(bench: bench).reorderVisits(plans)
            if edits.isEmpty && !output.json {
                print(CLIString.routeUnchanged())
            } else {
                try bench.report(edits, verb: .reordered, json: output.json)
            }
        }
    }
}

/// `fieldsync visit checkin PLAN [--at T] [--location LAT,LON]`
struct CheckInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: CLIHelp.checkInAbstract(),
        discussion: CLIHelp.checkInDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @OptionGroup var step: VisitStepOptions

    @Option(help: ArgumentHelp(CLIHelp.checkInLocation(), valueName: "lat,lon"))
    var location: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let place = try location.map { text throws in try FieldWork.Coordinates.parse(text) }
            try bench.report(try FieldWork(bench: bench).checkIn(step.plan, at: try WorkflowArguments.time(step.at), location: place), verb: .checkedIn, json: output.json)
        }
    }
}

/// `fieldsync visit checkout PLAN [--at T] [--notes TEXT] [--outcome TEXT]`
struct CheckOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: CLIHelp.checkOutAbstract(),
        discussion: CLIHelp.checkOutDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @OptionGroup var step: VisitStepOptions

    @Option(help: ArgumentHelp(CLIHelp.checkOutNotes()))
    var notes: String?

    @Option(help: ArgumentHelp(CLIHelp.outcome()))
    var outcome: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let edits = try FieldWork(bench: bench).checkOut(step.plan, at: try WorkflowArguments.time(step.at), notes: notes, outcome: outcome)
            try bench.report(edits, verb: .checkedOut, json: output.json)
        }
    }
}

/// The plan and time of a check-in or check-out.
struct VisitStepOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(CLIHelp.visitStepPlan()))
    var plan: String

    @Option(help: ArgumentHelp(CLIHelp.visitStepAt(), valueName: "time"))
    var at: String?
}

/// `fieldsync visit calendar [--day D | --week D]`
struct VisitCalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: CLIHelp.visitCalendarAbstract(),
        discussion: CLIHelp.visitCalendarDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.visitCalendarDay(), valueName: "day"))
    var day: String?

    @Option(help: ArgumentHelp(CLIHelp.visitCalendarWeek(), valueName: "day"))
    var week: String?

    @Option(help: ArgumentHelp(CLIHelp.visitCalendarOwner()))
    var owner: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if day != nil && week != nil { throw ValidationError(UsageText.dayOrWeek()) }
    }

    func run() throws {
        try Workbench.read(device) { bench in
            let days: Int
            var from = try Days.calendarDay(week ?? day ?? "today")
            if week != nil {
                from = from.isoWeek.monday
                days = 7
            } else {
                days = 1
            }
            let calendar = try FieldWork(bench: bench).calendar(from: from, days: days, owner: owner)
            if output.json {
                try JSONOutput.print(VisitCalendarView(calendar))
            } else {
                // Missed visits in red on a terminal; the text is escaped already.
                TerminalOutput.writeStyled(try VisitCalendarView.text(calendar, ids: bench.shortIDs))
            }
        }
    }
}

/// The calendar as the CLI prints it.
struct VisitCalendarView: Encodable {
    struct Day: Encodable {
        var day: String
        var planned: Int
        var done: Int
        var missed: Int
        var unplanned: Int
        var plans: [VisitPlanBook.Plan]
        var unplannedVisits: [VisitPlanBook.UnplannedVisit]
    }

    var days: [Day]

    init(_ calendar: VisitCalendar) {
        days = calendar.days.map { day in
            Day(
                day: day.day.description, planned: day.plans.count, done: day.done, missed: day.missed, unplanned: day.unplanned.count,
                plans: day.plans, unplannedVisits: day.unplanned
            )
        }
    }

    /// A plan's status in the CLI's language.
    static func status(_ status: VisitPlanBook.Status) -> String {
        guard cliLanguage == .chinese else { return status.rawValue }
        switch status {
        case .planned: return RecordVerb.planned()
        case .checkedIn: return RecordVerb.checkedIn()
        case .done: return RecordVerb.done()
        case .missed: return CLIString.missed()
        }
    }

    static func text(_ calendar: VisitCalendar, ids: ShortIDs) throws -> String {
        var lines: [String] = []
        let offset = FieldTime.now().utcOffsetMinutes
        // Times in the device's zone: "HH:MM" on the day, "YYYY-MM-DD HH:MM" for the stamps.
        func local(_ instant: Instant?) -> String { instant.map { Days.short($0.adding(seconds: Int64(offset) * 60).description) } ?? "" }
        func clock(_ instant: Instant?) -> String { String(local(instant).suffix(5)) }
        for day in calendar.days {
            let weekday = CLIString.weekdays().split(separator: " ")[(day.day.weekday + 6) % 7]
            lines.append(CLIString.calendarDay([
                "day": day.day, "weekday": weekday, "planned": day.plans.count, "done": day.done, "missed": day.missed, "unplanned": day.unplanned.count,
            ]))
            guard !day.plans.isEmpty || !day.unplanned.isEmpty else { continue }
            var table = TextTable(columns: [
                .init("#", maxWidth: 3, alignRight: true), .init(CLIString.headerTime(), maxWidth: 5), .init(CLIString.headerAccount(), maxWidth: 30),
                .init(CLIString.headerPurpose(), maxWidth: 30), .init(CLIString.headerRep(), maxWidth: 12), .init(CLIString.headerStatus(), maxWidth: 10),
                .init(CLIString.headerIn(), maxWidth: 16), .init(CLIString.headerOut(), maxWidth: 16), .init("ID", maxWidth: 36),
            ])
            // Stops are numbered in each rep's route.
            var stops: [String: Int] = [:]
            for plan in day.plans {
                stops[plan.owner, default: 0] += 1
                table.append([
                    String(stops[plan.owner] ?? 0), clock(plan.plannedAt), plan.accountName, plan.purpose ?? "", plan.owner, Self.status(plan.status),
                    local(plan.checkedInAt), local(plan.checkedOutAt), try ids(CRMSchema.visitPlan.name, plan.id),
                ], emphasis: plan.status == .missed ? .alert : .plain)
            }
            for visit in day.unplanned {
                table.append(["", clock(visit.at), visit.accountName, "", visit.owner, CLIString.unplanned(), "", "", try ids(CRMSchema.activity.name, visit.id)])
            }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }
}

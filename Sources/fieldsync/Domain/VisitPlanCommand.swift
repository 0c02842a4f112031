import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncCore

/// `fieldsync visit plan ACCOUNT --on DAY [--at TIME] [--order N] [--purpose TEXT]`
struct PlanVisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a customer visit (客户拜访) on a day, optionally at a time and a place in the route.",
        discussion: "Example: fieldsync visit plan 华东机械 --on tomorrow --at 09:30 --order 1 --purpose 'quote follow-up'"
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The account to visit (an id, a unique prefix or its name).")
    var account: String

    @Option(help: ArgumentHelp("The day: YYYY-MM-DD, today, tomorrow or +Nd.", valueName: "day"))
    var on: String

    @Option(help: ArgumentHelp("The planned time: HH:MM on that day in the device's time zone, or YYYY-MM-DDTHH:MM with Z or an offset such as +08:00.", valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("The visit's place in the day's route (1 first).", valueName: "n"))
    var order: Int?

    @Option(help: "What the visit is for.")
    var purpose: String?

    @Option(help: "The contact to meet (an id, a unique prefix or its name); must belong to the account.")
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
        abstract: "Set a day's route: the plans named become stops 1, 2, …; the day's other plans follow.",
        discussion: "Example: fieldsync visit reorder 0192f0c4 0192f0d1 (plan ids or prefixes, as `visit calendar` shows them)"
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The plans in the order to visit them (ids or unique prefixes), all of one rep's day.")
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
        abstract: "Check in at a planned visit: the arrival time and place.",
        discussion: "Example: fieldsync visit checkin 0192f0c4 --at 2026-11-20T09:35+08:00 --location 31.2304,121.4737"
    )

    @OptionGroup var device: DeviceOptions

    @OptionGroup var step: VisitStepOptions

    @Option(help: ArgumentHelp("Where: latitude,longitude in degrees.", valueName: "lat,lon"))
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
        abstract: "Check out of a visit: it becomes a done visit (an activity of type visit).",
        discussion: "Example: fieldsync visit checkout 0192f0c4 --at 2026-11-20T10:20+08:00 --outcome 'wants a quote'"
    )

    @OptionGroup var device: DeviceOptions

    @OptionGroup var step: VisitStepOptions

    @Option(help: "Notes of the visit.")
    var notes: String?

    @Option(help: "What came of it.")
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
    @Argument(help: "The plan (an id or a unique prefix).")
    var plan: String

    @Option(help: ArgumentHelp("When: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?
}

/// `fieldsync visit calendar [--day D | --week D]`
struct VisitCalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The visit plan of a day or an ISO week, each day as a route, planned against done.",
        discussion: "Example: fieldsync visit calendar --week today"
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp("One day: YYYY-MM-DD, today, tomorrow or +Nd (default: today).", valueName: "day"))
    var day: String?

    @Option(help: ArgumentHelp("The ISO week (Monday to Sunday) holding this day.", valueName: "day"))
    var week: String?

    @Option(help: "Only this rep's plans (default: every rep's on this device).")
    var owner: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if day != nil && week != nil { throw ValidationError("give --day or --week, not both") }
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

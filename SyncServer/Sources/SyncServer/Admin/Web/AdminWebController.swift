import CRM
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import SyncCore

/// The admin web page at `/admin`: sign in with an admin device token, list and filter the
/// conflict log, open an entry, resolve or dismiss it, read a record's history.
///
/// Server-rendered HTML with no JavaScript. The browser holds only an HttpOnly, SameSite=Strict
/// session cookie (never the token, never in a URL); every form carries the session's CSRF
/// token; responses forbid framing, caching and any script.
struct AdminWebController<Storage: ServerStorage>: Sendable {
    let accounts: AccountService<Storage>
    let conflicts: ConflictAdminService<Storage>
    let schema: Schema
    let sessions: AdminSessions
    let reports: ReportService<Storage>
    let library: MustacheLibrary
    let guards: RequestGuards
    /// The largest form body: the sign-in form is read before anyone is signed in.
    let formLimit: Int

    init(
        accounts: AccountService<Storage>, conflicts: ConflictAdminService<Storage>, schema: Schema, guards: RequestGuards, formLimit: Int
    ) throws {
        self.accounts = accounts
        self.conflicts = conflicts
        self.schema = schema
        self.guards = guards
        self.formLimit = formLimit
        self.sessions = AdminSessions(storage: accounts.storage)
        self.reports = ReportService(storage: accounts.storage, schema: schema)
        self.library = try AdminTemplates.library()
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: self.home)
        group.get("static/admin.css", use: self.stylesheet)
        group.get("login", use: self.loginForm)
        group.post("login", use: self.login)
        group.post("logout", use: self.logout)
        group.get("conflicts", use: self.list)
        group.get("conflicts/:id", use: self.show)
        group.post("conflicts/merge", use: self.mergeSelected)
        group.post("conflicts/:id/resolve", use: self.resolve)
        group.post("conflicts/:id/dismiss", use: self.dismiss)
        group.get("records/:entity/:id/history", use: self.history)
        group.get("dashboard", use: self.dashboard)
        group.get("charts/:name", use: self.chart)
        group.get("people", use: self.people)
        group.post("users/:name/code", use: self.issueCode)
        group.post("devices/:replica/:action", use: self.deviceAction)
    }

    /// A signed-in admin.
    struct SignedIn {
        var device: DeviceAccount
        var sessionID: String
        var session: AdminSessions.Session

        var page: AdminViews.Page { AdminViews.Page(admin: device.user.name, csrf: session.csrf) }
    }

    // MARK: Routes

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.redirect("/admin/conflicts")
    }

    @Sendable func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: AdminStylesheet.css))
        )
    }

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if try await signedIn(request) != nil { return Self.redirect("/admin/conflicts") }
        return try render("login", AdminViews.Page(), for: request)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        let code = (form["code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let device: DeviceAccount
        let token: String
        do {
            (device, token) = try await accounts.signInToWebPage(code: code)
        } catch let error as ServerError {
            return try render("login", AdminViews.Page(error: error.message(in: text(request).language)), for: request, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
        let (id, _) = try await sessions.start(tokenHash: Credentials.tokenHash(token))
        var response = Self.redirect("/admin/conflicts")
        response.setCookie(Cookie(
            name: AdminSessions.cookieName, value: id, maxAge: Int(AdminSessions.lifetime.components.seconds), path: "/admin",
            httpOnly: true, sameSite: .strict
        ))
        context.logger.info("admin signed in", metadata: ["user": "\(device.user.name)", "device": "\(device.replica.short)"])
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let admin = try await signedIn(request) {
            let form = try await self.form(request)
            guard Credentials.constantTimeEquals(form["csrf"] ?? "", admin.session.csrf) else {
                let t = text(request)
                return try render("message", Self.message(admin.page, t(.notSignedOut), t(.staleForm), t), for: request, status: .forbidden)
            }
            try await sessions.end(id: admin.sessionID)
        }
        var response = Self.redirect("/admin/login")
        response.setCookie(Cookie(name: AdminSessions.cookieName, value: "", maxAge: 0, path: "/admin", httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try await signedIn(request) else { return Self.redirect("/admin/login") }
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
        parameters["lang"] = nil
        let t = text(request)
        do {
            let filter = try ConflictQuery.filter(parameters)
            let list = try await guards.expensiveReads.run { try await conflicts.list(filter) }
            return try render("conflicts", listPage(list, filter: filter, parameters: parameters, admin: admin, t), for: request)
        } catch let error as ServerError {
            return try render(
                "message", Self.message(admin.page, t(.cannotListConflicts), error.message(in: t.language), t), for: request, status: HTTPResponse.Status(code: error.code.httpStatus)
            )
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try await signedIn(request) else { return Self.redirect("/admin/login") }
        var page = admin.page
        let t = text(request)
        switch request.uri.queryParameters.get("done") {
        case "resolved": page.flash = t(.flashResolved)
        case "dismissed": page.flash = t(.flashDismissed)
        default: break
        }
        return try await detailPage(request, context: context, admin: admin, page: page, status: .ok)
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (admin, form): (SignedIn, FormBody)
        switch try await formPost(request) {
        case .accepted(let signedIn, let body): (admin, form) = (signedIn, body)
        case .refused(let response): return response
        }
        do {
            let id = try ConflictAdminController<Storage>.conflictID(context)
            guard let action = form["action"].flatMap(ResolutionAction.init(rawValue:)) else {
                throw ServerError(.invalidRequest, .chooseAction)
            }
            // A field-by-field merge names, per field, the record whose value stays (`keep.FIELD`).
            let kept = form.values.filter { $0.key.hasPrefix("keep.") }
            var resolution = ConflictResolution(
                action: action, text: form["text"], survivor: form["survivor"],
                fields: kept.isEmpty ? nil : Dictionary(uniqueKeysWithValues: kept.map { (String($0.key.dropFirst("keep.".count)), $0.value) }),
                note: form["note"]
            )
            if let text = form["sibling"] {
                guard let dot = Self.dot(text) else { throw ServerError(.invalidRequest, .notAWrite, ["text": text]) }
                resolution.sibling = dot
            }
            _ = try await conflicts.resolve(id: id, resolution, by: admin.device)
            return Self.redirect("/admin/conflicts/\(id)?done=resolved")
        } catch let error as ServerError {
            var page = admin.page
            page.error = error.message(in: text(request).language)
            return try await detailPage(request, context: context, admin: admin, page: page, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    /// Merges the selected duplicate pairs (`merge.ID` fields of the list's form) with the
    /// suggested values: the record created first stays, each field keeps the newer non-empty
    /// value. Pairs that closed meanwhile (a chain merged by an earlier pair) are reported.
    @Sendable func mergeSelected(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (admin, form): (SignedIn, FormBody)
        switch try await formPost(request) {
        case .accepted(let signedIn, let body): (admin, form) = (signedIn, body)
        case .refused(let response): return response
        }
        let ids = form.values.keys.compactMap { $0.hasPrefix("merge.") ? Int64($0.dropFirst("merge.".count)) : nil }.sorted()
        let t = text(request)
        var merged = 0
        var skipped: [String] = []
        for id in ids {
            do {
                let detail = try await conflicts.detail(id: id)
                guard detail.conflict.key.kind == .probableDuplicate else {
                    throw ServerError(.invalidRequest, .notAProbableDuplicate)
                }
                let survivor = detail.conflict.competitors.min { $0.hlc < $1.hlc }?.recordID
                _ = try await conflicts.resolve(id: id, ConflictResolution(action: .merge, survivor: survivor), by: admin.device)
                merged += 1
            } catch let error as ServerError {
                skipped.append("#\(id): \(error.message(in: t.language))")
            }
        }
        let summary = t(.mergedText, ["merged": merged, "total": ids.count])
            + (skipped.isEmpty ? "" : " " + t(.notMerged) + " " + skipped.joined(separator: "; ") + ".")
        return try render("message", Self.message(admin.page, merged == ids.count ? t(.merged) : t(.partlyMerged), summary, t), for: request, status: .ok)
    }

    // MARK: Dashboard, people

    /// A manager's view: open conflicts by kind, users and active devices, and the pipeline and
    /// conversion charts (`/admin/charts/NAME.svg`, the reports API's charts).
    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try await signedIn(request) else { return Self.redirect("/admin/login") }
        let now = ServerClock.millisecondsSince1970()
        let open = try await conflicts.list(ConflictFilter(limit: 1))
        let devices = try await accounts.storage.devices()
        let users = try await accounts.storage.users()
        let pipeline = try await guards.expensiveReads.run { try await reports.report("pipeline", query: [:], for: admin.device) }
        let t = text(request)
        let active = devices.filter { !$0.isRevoked }.count
        return try render("dashboard", AdminViews.Dashboard(
            admin: admin.device.user.name, csrf: admin.session.csrf, flash: nil, error: nil,
            openConflicts: open.total,
            openByKind: open.byKind.sorted { $0.key < $1.key }.map { entry in
                AdminViews.Count(name: entry.key, label: ConflictKind(rawValue: entry.key).map { AdminViews.kindLabel($0, t) } ?? entry.key, count: entry.value)
            },
            users: users.count,
            activeDevices: devices.filter { !$0.isRevoked && ($0.lastSeen ?? 0) >= now - 86_400_000 }.count,
            devices: active, devicesSynced: t(.devicesSynced, ["n": active]),
            pipelineText: pipeline.text(t.language)
        ), for: request)
    }

    @Sendable func chart(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try await signedIn(request) else { return Self.redirect("/admin/login") }
        let name = try context.parameters.require("name")
        guard name.hasSuffix(".svg") else { throw HTTPError(.notFound) }
        var output: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where ["measure", "style"].contains(String(key)) { output[String(key)] = String(value) }
        do {
            let svg = try await guards.expensiveReads.run {
                try await reports.chart(String(name.dropLast(4)), parameters: [:], output: output, for: admin.device, language: text(request).language)
            }
            return ReportsController<Storage>.text(svg, contentType: "image/svg+xml; charset=utf-8")
        } catch let error as ServerError {
            let t = text(request)
            return try render("message", Self.message(admin.page, t(.noChart), error.message(in: t.language), t), for: request, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    /// Users with their territories, and devices with their last sync, each with its actions:
    /// a new one-time code for a user (to enroll a phone or sign in here), revoke or wipe a device.
    @Sendable func people(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try await signedIn(request) else { return Self.redirect("/admin/login") }
        var page = admin.page
        let t = text(request)
        switch request.uri.queryParameters.get("done") {
        case "revoke": page.flash = t(.flashRevoked)
        case "wipe": page.flash = t(.flashWiped)
        default: break
        }
        let now = ServerClock.millisecondsSince1970()
        let devices = try await accounts.storage.devices()
        let users = try await accounts.storage.users()
        return try render("people", AdminViews.People(
            admin: page.admin, csrf: page.csrf, flash: page.flash, error: page.error,
            users: users.sorted { $0.name < $1.name }.map { user in
                AdminViews.UserRow(
                    name: user.name, role: user.role.rawValue, territories: user.territories.joined(separator: ", "),
                    team: user.team.joined(separator: ", "), devices: devices.filter { $0.user.name == user.name && !$0.isRevoked }.count
                )
            },
            devices: devices.sorted { ($0.user.name, $0.enrolledAt) < ($1.user.name, $1.enrolledAt) }.map { device in
                AdminViews.DeviceRow(
                    replica: device.replica.rawValue, short: String(device.replica.rawValue.prefix(8)), name: device.name, user: device.user.name,
                    enrolled: AdminViews.time(device.enrolledAt),
                    lastSeen: device.lastSeen.map { t(.ago, ["age": t.age(now - $0)]) } ?? t(.never),
                    status: device.isWiped ? "wiped" : device.isRevoked ? "revoked" : "active",
                    statusLabel: device.isWiped ? t(.deviceWiped) : device.isRevoked ? t(.deviceRevoked) : t(.deviceActive),
                    canRevoke: !device.isRevoked, canWipe: !device.isWiped
                )
            }
        ), for: request)
    }

    @Sendable func issueCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin: SignedIn
        switch try await formPost(request) {
        case .accepted(let signedIn, _): admin = signedIn
        case .refused(let response): return response
        }
        let name = try context.parameters.require("name")
        let t = text(request)
        do {
            let code = try await accounts.issueEnrollmentCode(for: name)
            var message = Self.message(admin.page, t(.codeFor, ["name": name]), t(.codeText, ["name": name]), t)
            message.code = code
            message.link = "/admin/people"
            message.linkText = t(.backToPeople)
            return try render("message", message, for: request)
        } catch let error as ServerError {
            return try render("message", Self.message(admin.page, t(.noCode), error.message(in: t.language), t), for: request, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    @Sendable func deviceAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin: SignedIn
        switch try await formPost(request) {
        case .accepted(let signedIn, _): admin = signedIn
        case .refused(let response): return response
        }
        do {
            let text = try context.parameters.require("replica")
            guard let replica = ReplicaID(string: text) else { throw ServerError(.invalidRequest, .notADeviceID, ["text": text]) }
            let action = try context.parameters.require("action")
            switch action {
            case "revoke": try await accounts.revokeDevice(replica)
            case "wipe": try await accounts.wipeDevice(replica)
            default: throw ServerError(.notFound, .deviceActionUnknown, ["action": action])
            }
            return Self.redirect("/admin/people?done=\(action)")
        } catch let error as ServerError {
            let t = text(request)
            return try render("message", Self.message(admin.page, t(.notDone), error.message(in: t.language), t), for: request, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    @Sendable func dismiss(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (admin, form): (SignedIn, FormBody)
        switch try await formPost(request) {
        case .accepted(let signedIn, let body): (admin, form) = (signedIn, body)
        case .refused(let response): return response
        }
        do {
            let id = try ConflictAdminController<Storage>.conflictID(context)
            _ = try await conflicts.dismiss(id: id, reason: form["reason"] ?? "", by: admin.device)
            return Self.redirect("/admin/conflicts/\(id)?done=dismissed")
        } catch let error as ServerError {
            var page = admin.page
            page.error = error.message(in: text(request).language)
            return try await detailPage(request, context: context, admin: admin, page: page, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try await signedIn(request) else { return Self.redirect("/admin/login") }
        let t = text(request)
        do {
            let entity = try context.parameters.require("entity")
            let id = try context.parameters.require("id")
            let history = try await guards.expensiveReads.run { try await conflicts.history(entity: entity, id: id) }
            let replica = try await conflicts.storage.serverReplica().rawValue
            return try render("history", AdminViews.history(history, schema: schema, serverReplica: replica, page: admin.page, t), for: request)
        } catch let error as ServerError {
            return try render("message", Self.message(admin.page, t(.noHistory), error.message(in: t.language), t), for: request, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    // MARK: Pages

    private func detailPage(
        _ request: Request, context: AppRequestContext, admin: SignedIn, page: AdminViews.Page, status: HTTPResponse.Status
    ) async throws -> Response {
        let t = text(request)
        do {
            let detail = try await conflicts.detail(id: try ConflictAdminController<Storage>.conflictID(context))
            let replica = try await conflicts.storage.serverReplica().rawValue
            return try render("detail", AdminViews.detail(detail, schema: schema, serverReplica: replica, page: page, t), for: request, status: status)
        } catch let error as ServerError {
            return try render("message", Self.message(page, t(.noSuchConflict), error.message(in: t.language), t), for: request, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    private func listPage(_ list: ConflictList, filter: ConflictFilter, parameters: [String: String], admin: SignedIn, _ t: AdminText) -> AdminViews.ConflictListPage {
        let now = ServerClock.millisecondsSince1970()
        let status = parameters["status"].flatMap { $0.isEmpty ? nil : $0 } ?? "open"
        func link(_ changes: [String: String?]) -> String {
            var merged = parameters
            for (name, value) in changes { merged[name] = value }
            let query = merged.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                .map { "\(FormBody.encode($0.key))=\(FormBody.encode($0.value))" }.joined(separator: "&")
            return "/admin/conflicts" + (query.isEmpty ? "" : "?" + query)
        }
        let tabs: [(String, String, Int)] = [
            ("open", t(.tabOpen), list.byStatus["open"] ?? 0),
            ("resolved_by_edit", t(.tabResolvedByEdit), list.byStatus["resolved_by_edit"] ?? 0),
            ("resolved_by_admin", t(.tabResolvedByAdmin), list.byStatus["resolved_by_admin"] ?? 0),
            ("dismissed", t(.tabDismissed), list.byStatus["dismissed"] ?? 0),
            ("all", t(.tabAll), list.byStatus.values.reduce(0, +)),
        ]
        let ages: [(String, String)] = [("", t(.anyTime)), ("1h", t(.oneHour)), ("1d", t(.oneDay)), ("7d", t(.oneWeek)), ("30d", t(.thirtyDays))]
        let selectedAge = parameters["older_than"] ?? ""
        let page = filter.limit > 0 ? filter.offset / filter.limit + 1 : 1
        let pages = max(1, (list.total + max(1, filter.limit) - 1) / max(1, filter.limit))
        return AdminViews.ConflictListPage(
            admin: admin.device.user.name, csrf: admin.session.csrf, flash: nil, error: nil,
            total: list.total, page: page, pageInfo: t(.pageInfo, ["total": list.total, "page": page, "pages": pages]), status: status,
            statusTabs: tabs.map { AdminViews.Tab(name: $0.0, label: $0.1, count: $0.2, href: link(["status": $0.0, "offset": nil]), selected: $0.0 == status) },
            kinds: ConflictKind.allCases.map { AdminViews.Option(value: $0.rawValue, label: AdminViews.kindLabel($0, t), selected: filter.kind == $0) },
            entities: schema.entityNames.map { AdminViews.Option(value: $0, label: $0, selected: filter.entity == $0) },
            ages: ages.map { AdminViews.Option(value: $0.0, label: $0.1, selected: $0.0 == selectedAge) },
            territories: list.byTerritory.sorted { $0.key < $1.key }.map { territory in
                AdminViews.Option(
                    value: territory.key, label: "\(territory.key) (\(territory.value))",
                    selected: filter.territory?.lowercased() == territory.key.lowercased()
                )
            },
            user: filter.user ?? "", query: filter.query ?? "",
            pages: pages,
            sizes: [25, 50, 100, 200].map { AdminViews.Option(value: String($0), label: t(.perPage, ["n": $0]), selected: $0 == filter.limit) },
            hasCounts: !list.byEntity.isEmpty,
            entityCounts: list.byEntity.sorted { $0.key < $1.key }.map { AdminViews.Count(name: $0.key, label: $0.key, count: $0.value) },
            kindCounts: list.byKind.sorted { $0.key < $1.key }.map { entry in
                AdminViews.Count(name: entry.key, label: ConflictKind(rawValue: entry.key).map { AdminViews.kindLabel($0, t) } ?? entry.key, count: entry.value)
            },
            hasRows: !list.conflicts.isEmpty,
            rows: list.conflicts.map { AdminViews.row($0, now: now, t) },
            hasMergeable: list.conflicts.contains { $0.status == .open && $0.key.kind == .probableDuplicate },
            previous: filter.offset > 0 ? link(["offset": String(max(0, filter.offset - filter.limit))]) : nil,
            next: filter.offset + list.conflicts.count < list.total ? link(["offset": String(filter.offset + filter.limit)]) : nil
        )
    }

    // MARK: Helpers

    /// The admin behind the request's session cookie, re-authenticated; nil when signed out.
    private func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let id = request.cookies[AdminSessions.cookieName]?.value, !id.isEmpty, let session = try await sessions.session(id: id) else {
            return nil
        }
        let device: DeviceAccount
        do {
            device = try accounts.requireAdmin(try await accounts.authenticate(tokenHash: session.tokenHash))
        } catch is ServerError {
            try await sessions.end(id: id)
            return nil
        }
        // A page view counts against the admin device's rate limit like an API request.
        try await guards.rateLimiter.admitRequest(from: device.replica.rawValue)
        return SignedIn(device: device, sessionID: id, session: session)
    }

    /// The words of the request's language (see `Language.of`).
    func text(_ request: Request) -> AdminText {
        AdminText(language: Language.of(
            query: request.uri.queryParameters.get("lang"), cookie: request.cookies[Language.cookieName]?.value,
            acceptLanguage: request.headers[.acceptLanguage]
        ))
    }

    /// Renders a page in the request's language, with the language switch; a `?lang=` choice
    /// is remembered in a cookie.
    private func render(_ template: String, _ object: Any, for request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = text(request)
        // The switch links back to this page; a page answering a form post links to the list.
        var path = request.method == .get ? request.uri.path : "/admin/conflicts"
        let query = request.method == .get ? request.uri.queryParameters.filter { $0.key != "lang" && $0.key != "done" } : []
        if path.isEmpty { path = "/admin" }
        let languages = Language.allCases.map { language in
            let items = query.map { "\(FormBody.encode(String($0.key)))=\(FormBody.encode(String($0.value)))" } + ["lang=\(language.rawValue)"]
            return LocalizedPage.LanguageLink(code: language.rawValue, name: language.ownName, href: path + "?" + items.joined(separator: "&"), selected: language == t.language)
        }
        guard let html = library.render(LocalizedPage(page: object, text: t, languages: languages), withTemplate: template) else {
            throw ServerError(.internalError, .adminTemplateMissing, ["template": template])
        }
        var response = Response(status: status, headers: Self.htmlHeaders, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        if let chosen = request.uri.queryParameters.get("lang").flatMap(Language.init(tag:)) {
            response.setCookie(Cookie(
                name: Language.cookieName, value: chosen.rawValue, maxAge: 365 * 86_400, path: "/admin", httpOnly: true, sameSite: .strict
            ))
        }
        return response
    }

    static var htmlHeaders: HTTPFields { AdminPageHeaders.html }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func message(_ page: AdminViews.Page, _ heading: String, _ text: String, _ t: AdminText) -> AdminViews.Message {
        AdminViews.Message(
            admin: page.admin, csrf: page.csrf, heading: heading, text: text,
            link: page.admin == nil ? "/admin/login" : "/admin/conflicts", linkText: page.admin == nil ? t(.signIn) : t(.backToConflicts)
        )
    }

    /// A form post of a signed-in admin that carries the session's CSRF token, or the answer
    /// refusing it: to the sign-in page without a session, 403 for a stale form.
    enum FormPost {
        case accepted(SignedIn, FormBody)
        case refused(Response)
    }

    func formPost(_ request: Request) async throws -> FormPost {
        guard let admin = try await signedIn(request) else { return .refused(Self.redirect("/admin/login")) }
        let form = try await self.form(request)
        guard Credentials.constantTimeEquals(form["csrf"] ?? "", admin.session.csrf) else {
            let t = text(request)
            return .refused(try render("message", Self.message(admin.page, t(.notSaved), t(.staleForm), t), for: request, status: .forbidden))
        }
        return .accepted(admin, form)
    }

    /// The fields of a form post (`application/x-www-form-urlencoded`, at most 64 KiB).
    func form(_ request: Request) async throws -> FormBody {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw ServerError(.unsupportedMediaType, .adminFormType)
        }
        let body = try await request.body.collect(upTo: formLimit)
        return FormBody(String(buffer: body))
    }

    /// Parses `replica:counter`.
    static func dot(_ text: String) -> Dot? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let replica = ReplicaID(string: String(parts[0])), let counter = UInt64(parts[1]), counter > 0 else { return nil }
        return Dot(replica: replica, counter: counter)
    }
}

/// The headers of every admin page: no caching, no framing, no scripts, styles from here only.
enum AdminPageHeaders {
    static let html: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
    ]
}

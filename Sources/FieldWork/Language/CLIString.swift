import CRM

/// Every fixed string the field client shows a rep (the `fieldsync` CLI's messages, headers and
/// labels; an app over FieldWork may show the same), in English and Simplified Chinese. A
/// `Catalogue`: a key without both texts does not compile, and `CLILanguageTests` checks that
/// each Chinese text is Chinese with the English placeholders. Refusals the libraries build
/// are typed sentences (`RefusalSentence`); statement lines are translated by pattern in
/// `CLIPhrases`.
public enum CLIString: String, Catalogue {
    case error, warning, didYouMean, noDeviceStore, bootstrapIncomplete
    case conflictFootnote, deletedMark, modified, conflictsHeading, deleteWins, deleteKept, none
    case headerField, headerValue, headerReplica, headerWrittenAt, headerKind, headerRecord, headerChange, headerEntity
    case headerCode, headerReason
    case noRecords, noRecordsMatch, firstShown, nothingChanged, thisValue, theseValues
    case storeExists, storeCreated
    case noHistory, historyTitle, thisDevice, thisDeviceUser, replica, change, originLocal, originRemote, concurrentWith, fieldDeleted
    case noConflicts, notOnDevice, deletedAndEdited, shown, resolveHint
    case kindConcurrentValues, kindDeleteVsEdit, kindOrphanReference, kindProbableDuplicate
    case deviceStore, user, notEnrolled, records, unsyncedChanges, rejectedByServer, openConflicts, syncCursor
    case bootstrapping, neverSynced, rejectedHeading, conflictsHeadingStatus
    case pushed, rejectedKept, scope, resynced, pulled, pulledSnapshot, cursorValue
    case watchSynced, watchListening, watchStreamLost, watchSyncFailed
    case watchReasonStart, watchReasonNews, watchReasonLocalEdit, watchReasonPoll, watchReasonRetry
    case unreachableNothingWaiting, unreachableKept, progressRound, progressSnapshotOf, progressSnapshot, progressLeft, progressBootstrapping
    case enrolled, enrolledTerritories
    case probableDuplicate
    case loyalty, replicaLabel
    case adminMatch, adminByStatus, headerCompeting, headerUsers, headerTerritory, headerOpened, headerOutcome, headerShown, headerUser
    case headerWrittenHLC, headerReceived, headerWrite, headerBefore, headerNow, headerLog, headerSeen, headerWrote, headerNote
    case statusOpen, statusResolvedByEdit, statusResolvedByAdmin, statusDismissed, kept, rejected, yes, no, created, conflict
    case adminConflict, adminConflictField, adminStatus, adminBy, adminTerritory, adminClosed, adminOutcome, adminDisplayed
    case adminResolveWith, adminResolved, adminDismissed, adminMerged, adminMergedFields, adminHistoryTitle, adminShownValue
    case adminNoSuchValue, adminChooseFormat, adminConcurrentWith
    case wipedNotDeleted, wiped, wipedUnsynced, mineNeedsUser, serverReportUnreadable, noChart, cannotRead
    case followUpsOverdue, followUpsDue, headerDue, headerDaysOverdue, headerContact, headerType, headerLastOutcome, today, followUpsHint
    case notOnThisDevice, calendarDay, headerTime, headerPurpose, headerRep, headerStatus, headerIn, headerOut, unplanned
    case missed, weekdays, importedCSV, importFixRows, importDryRun, importNothing, importedFixture
    case classifiedNothing, classifiedApplied, classifiedAppliedOne, classifiedDryRun, classifiedDryRunOne
    case quoteLines, quoteTotals, contractsDue, headerEnds, headerLeft, headerAccount, headerContract, expiredAgo, daysLeft
    case headerAt, headerPoints, headerDevice, importing, importingLeft, routeUnchanged, quoteAlreadyAccepted
    case groupContacts, groupOpenOpportunities, groupRecentVisits, groupOpenTickets, groupOrders, groupQuotes, groupContracts
    case groupInvoices, groupLines, groupPayments, groupCount, groupEmpty

    public var texts: (english: String, chinese: String) {
        switch self {
        case .error: return ("error: {message}", "错误：{message}")
        case .warning: return ("warning: {message}", "警告：{message}")
        case .didYouMean: return ("Did you mean '{command}'?", "您是不是要输入 '{command}'？")
        case .noDeviceStore: return ("no device store at {path}; create one with `fieldsync init` (or pass --db, or set FIELDSYNC_DB)", "{path} 处没有设备数据库；请用 `fieldsync init` 创建（或用 --db 指定，或设置 FIELDSYNC_DB）")
        case .bootstrapIncomplete: return ("the first sync of this device is not finished ({records} record(s) so far); what is shown may be incomplete: run `fieldsync sync` to finish it", "本设备的首次同步尚未完成（目前有 {records} 条记录）；显示的内容可能不完整：运行 `fieldsync sync` 完成同步")
        case .conflictFootnote: return ("* conflicting values: see `fieldsync show` or `fieldsync conflicts`", "* 有冲突的值：见 `fieldsync show` 或 `fieldsync conflicts`")
        case .deletedMark: return ("(deleted)", "（已删除）")
        case .modified: return ("modified", "修改时间")
        case .conflictsHeading: return ("Conflicts (competing values; the first is shown)", "冲突（相互竞争的值；显示第一个）")
        case .deleteWins: return ("a delete met a concurrent edit: the delete wins", "删除遇到了并发的修改：删除优先")
        case .deleteKept: return ("a delete met a concurrent edit: the record is kept (update wins)", "删除遇到了并发的修改：记录保留（修改优先）")
        case .none: return ("none", "无")
        case .headerField: return ("FIELD", "字段")
        case .headerValue: return ("VALUE", "值")
        case .headerReplica: return ("REPLICA", "副本")
        case .headerWrittenAt: return ("WRITTEN AT", "写入时间")
        case .headerKind: return ("KIND", "类型")
        case .headerRecord: return ("RECORD", "记录")
        case .headerChange: return ("CHANGE", "变更")
        case .headerEntity: return ("ENTITY", "对象")
        case .headerCode: return ("CODE", "代码")
        case .headerReason: return ("REASON", "原因")
        case .noRecords: return ("no {entity} records on this device", "本设备上没有{entity}记录")
        case .noRecordsMatch: return ("no {entity} records match", "没有符合条件的{entity}记录")
        case .firstShown: return ("(first {n} shown; use --limit for more)", "（只显示前 {n} 条；用 --limit 显示更多）")
        case .nothingChanged: return ("nothing changed: {entity} {label} already holds {what}", "没有修改：{entity} {label} 已经是{what}")
        case .thisValue: return ("this value", "这个值")
        case .theseValues: return ("these values", "这些值")
        case .storeExists: return ("device store already exists at {path} (replica {replica})", "设备数据库已存在于 {path}（副本 {replica}）")
        case .storeCreated: return ("created device store at {path} (replica {replica})", "已在 {path} 创建设备数据库（副本 {replica}）")
        case .noHistory: return ("no history for {entity} {id}", "{entity} {id} 没有历史")
        case .historyTitle: return ("{entity} {id}: {n} change(s)", "{entity} {id}：{n} 个变更")
        case .thisDevice: return ("this device", "本设备")
        case .thisDeviceUser: return ("this device ({user})", "本设备（{user}）")
        case .replica: return ("replica {replica}", "副本 {replica}")
        case .change: return ("change {dot}", "变更 {dot}")
        case .originLocal: return ("local", "本地")
        case .originRemote: return ("remote", "同步")
        case .concurrentWith: return ("(concurrent with {writes})", "（与 {writes} 并发）")
        case .fieldDeleted: return ("deleted", "删除")
        case .noConflicts: return ("no open conflicts", "没有待处理的冲突")
        case .notOnDevice: return ("→ {target} (not on this device)", "→ {target}（不在本设备上）")
        case .deletedAndEdited: return ("deleted on one device, edited on another", "在一台设备上被删除，在另一台上被修改")
        case .shown: return ("(shown)", "（显示中）")
        case .resolveHint: return ("resolve a field conflict by editing the field: fieldsync edit ENTITY ID field=value", "修改字段即可解决字段冲突：fieldsync edit ENTITY ID field=value")
        case .kindConcurrentValues: return ("concurrent_values", "并发修改")
        case .kindDeleteVsEdit: return ("delete_vs_edit", "删除与修改冲突")
        case .kindOrphanReference: return ("orphan_reference", "失效引用")
        case .kindProbableDuplicate: return ("probable_duplicate", "疑似重复")
        case .deviceStore: return ("device store", "设备数据库")
        case .user: return ("user", "用户")
        case .notEnrolled: return ("not enrolled (offline only)", "未注册（仅离线使用）")
        case .records: return ("records", "记录")
        case .unsyncedChanges: return ("unsynced changes", "未同步的变更")
        case .rejectedByServer: return ("({n} rejected by the server)", "（其中 {n} 个被服务器拒绝）")
        case .openConflicts: return ("open conflicts", "待处理的冲突")
        case .syncCursor: return ("sync cursor", "同步位置")
        case .bootstrapping: return ("bootstrapping", "首次同步中")
        case .neverSynced: return ("never synced", "从未同步")
        case .rejectedHeading: return ("Rejected changes (kept on this device)", "被拒绝的变更（保留在本设备上）")
        case .conflictsHeadingStatus: return ("Open conflicts (details: fieldsync conflicts)", "待处理的冲突（详情：fieldsync conflicts）")
        case .pushed: return ("pushed {pushed}: {accepted} accepted, {duplicates} already applied, {rejected} rejected", "推送 {pushed} 个：接受 {accepted} 个，已应用过 {duplicates} 个，拒绝 {rejected} 个")
        case .rejectedKept: return ("  rejected {count} × {code} (kept on this device; see `fieldsync status`)", "  拒绝 {count} 个 × {code}（保留在本设备上；见 `fieldsync status`）")
        case .scope: return ("scope: {arrived} record(s) arrived, {evicted} left (with their children)", "范围：新增 {arrived} 条记录，移出 {evicted} 条（连同其下级记录）")
        case .resynced: return ("; the server asked for a fresh copy (territories changed, or offline past the compaction horizon): bootstrapped again, pending edits pushed first", "；服务器要求重新获取（区域有变化，或离线时间超过了压缩期限）：已重新首次同步，待推送的修改先推送")
        case .pulled: return ("pulled {pulled} change(s); {opened} conflict(s) opened, {closed} closed; cursor {cursor}", "拉取 {pulled} 个变更；新增冲突 {opened} 个，关闭 {closed} 个；同步位置 {cursor}")
        case .pulledSnapshot: return ("pulled {pulled} change(s) and {snapshot} snapshot record(s); {opened} conflict(s) opened, {closed} closed; cursor {cursor}", "拉取 {pulled} 个变更和 {snapshot} 条快照记录；新增冲突 {opened} 个，关闭 {closed} 个；同步位置 {cursor}")
        case .cursorValue: return ("-", "无")
        case .watchSynced: return ("{time} synced ({reason}): pushed {pushed} ({rejected} rejected), pulled {pulled}; cursor {cursor}", "{time} 已同步（{reason}）：推送 {pushed} 个（拒绝 {rejected} 个），拉取 {pulled} 个；同步位置 {cursor}")
        case .watchListening: return ("{time} watching for news from the server", "{time} 正在等待服务器的新消息")
        case .watchStreamLost: return ("{time} lost the news stream ({message}); reconnecting in {seconds} s, syncing every {poll} s meanwhile", "{time} 新消息连接中断（{message}）；{seconds} 秒后重新连接，期间每 {poll} 秒同步一次")
        case .watchSyncFailed: return ("{time} sync failed ({message}); trying again in {seconds} s; edits stay on this device", "{time} 同步失败（{message}）；{seconds} 秒后重试；修改保留在本设备上")
        case .watchReasonStart: return ("start", "开始")
        case .watchReasonNews: return ("news from the server", "服务器有新消息")
        case .watchReasonLocalEdit: return ("edits on this device", "本设备有修改")
        case .watchReasonPoll: return ("poll interval", "定时同步")
        case .watchReasonRetry: return ("retry", "重试")
        case .unreachableNothingWaiting: return ("nothing was waiting to be pushed", "没有等待推送的变更")
        case .unreachableKept: return ("your {n} unsynced change(s) are kept on this device and go with the next sync", "您的 {n} 个未同步变更保留在本设备上，下次同步时一并推送")
        case .progressRound: return ("round {round}: pushed {pushed}, pulled {pulled}", "第 {round} 轮：推送 {pushed}，拉取 {pulled}")
        case .progressSnapshotOf: return (", snapshot {received} of {total} records ({percent}%)", "，快照 {received}/{total} 条记录（{percent}%）")
        case .progressSnapshot: return (", snapshot {received} records", "，快照 {received} 条记录")
        case .progressLeft: return (", about {left} left", "，约剩 {left}")
        case .progressBootstrapping: return (" (bootstrapping…)", "（首次同步中…）")
        case .enrolled: return ("enrolled as {user} ({role}); replica {replica}", "已注册为 {user}（{role}）；副本 {replica}")
        case .enrolledTerritories: return ("enrolled as {user} ({role}, territories {territories}); replica {replica}", "已注册为 {user}（{role}，区域 {territories}）；副本 {replica}")
        case .probableDuplicate: return ("probable duplicate of {entity} {name} ({id}): {reason}; the record is created, and an admin can merge the two after sync", "可能与{entity} {name}（{id}）重复：{reason}；记录已创建，同步后管理员可以合并这两条记录")
        case .classifiedNothing: return ("every account already has its suggested tier and lifecycle stage; nothing to change", "每个客户都已是建议的等级和生命周期阶段；无需修改")
        case .classifiedApplied: return ("updated {n} accounts in one transaction; `fieldsync sync` shares them", "已在一个事务中更新 {n} 个客户；`fieldsync sync` 会同步它们")
        case .classifiedAppliedOne: return ("updated 1 account in one transaction; `fieldsync sync` shares it", "已在一个事务中更新 1 个客户；`fieldsync sync` 会同步它")
        case .classifiedDryRun: return ("dry run: nothing was changed; run with --apply to update {n} accounts", "试运行：没有修改任何内容；加上 --apply 运行可更新 {n} 个客户")
        case .classifiedDryRunOne: return ("dry run: nothing was changed; run with --apply to update 1 account", "试运行：没有修改任何内容；加上 --apply 运行可更新 1 个客户")
        case .quoteLines: return ("quote {label} v{version}: {n} lines", "报价单 {label} 第 {version} 版：{n} 行")
        case .quoteTotals: return ("net {net}  tax {tax}  total {total}", "净额 {net}  税额 {tax}  总额 {total}")
        case .contractsDue: return ("contracts due for renewal as of {day}: {n}", "截至 {day} 待续约的合同：{n} 个")
        case .headerEnds: return ("ENDS", "结束日期")
        case .headerLeft: return ("LEFT", "剩余")
        case .headerAccount: return ("ACCOUNT", "客户")
        case .headerContract: return ("CONTRACT", "合同")
        case .expiredAgo: return ("expired {n} days ago", "已过期 {n} 天")
        case .daysLeft: return ("{n} days left", "还剩 {n} 天")
        case .headerAt: return ("AT", "时间")
        case .headerPoints: return ("POINTS", "积分")
        case .headerDevice: return ("DEVICE", "设备")
        case .importing: return ("importing {done} of {total} records ({percent}%)", "正在导入 {done}/{total} 条记录（{percent}%）")
        case .importingLeft: return ("importing {done} of {total} records ({percent}%), about {left} left", "正在导入 {done}/{total} 条记录（{percent}%），约剩 {left}")
        case .routeUnchanged: return ("the route is already in that order", "路线已经是这个顺序")
        case .quoteAlreadyAccepted: return ("quote {label} was already accepted: order {order}", "报价单 {label} 已经被接受过：订单 {order}")
        case .followUpsOverdue: return ("{n} overdue", "逾期 {n} 个")
        case .followUpsDue: return (", {n} due {day}", "，{day} 到期 {n} 个")
        case .headerDue: return ("DUE", "到期")
        case .headerDaysOverdue: return ("DAYS OVERDUE", "逾期天数")
        case .headerContact: return ("CONTACT", "联系人")
        case .headerType: return ("TYPE", "类型")
        case .headerLastOutcome: return ("LAST OUTCOME", "上次结果")
        case .today: return ("today", "今天")
        case .followUpsHint: return ("mark one done: fieldsync followup done ID; move it: fieldsync followup snooze ID --until DAY", "标记完成：fieldsync followup done ID；推迟：fieldsync followup snooze ID --until DAY")
        case .notOnThisDevice: return ("(not on this device)", "（不在本设备上）")
        case .calendarDay: return ("{day} {weekday}: {planned} planned, {done} done, {missed} missed, {unplanned} unplanned", "{day} {weekday}：计划 {planned}，完成 {done}，未完成 {missed}，计划外 {unplanned}")
        case .headerTime: return ("TIME", "时间")
        case .headerPurpose: return ("PURPOSE", "目的")
        case .headerRep: return ("REP", "销售代表")
        case .headerStatus: return ("STATUS", "状态")
        case .headerIn: return ("IN", "签到")
        case .headerOut: return ("OUT", "签退")
        case .unplanned: return ("unplanned", "计划外")
        case .missed: return ("missed", "未完成")
        case .weekdays: return ("Mon Tue Wed Thu Fri Sat Sun", "周一 周二 周三 周四 周五 周六 周日")
        case .importedCSV: return ("imported {counts} in one transaction; `fieldsync sync` shares them", "已在一个事务中导入 {counts}；`fieldsync sync` 会同步它们")
        case .importFixRows: return ("nothing was changed: fix the rows above and run the import again", "没有修改任何内容：请修正上面的行后重新导入")
        case .importDryRun: return ("dry run: nothing was changed; run again without --dry-run to import {counts}", "试运行：没有修改任何内容；去掉 --dry-run 再运行即可导入 {counts}")
        case .importNothing: return ("nothing to import: nothing was changed", "没有可导入的内容：没有修改任何内容")
        case .importedFixture: return ("imported {n} records from {file} ({counts}); {unsynced} unsynced change(s) wait for `fieldsync sync`", "已从 {file} 导入 {n} 条记录（{counts}）；{unsynced} 个未同步的变更等待 `fieldsync sync`")
        case .adminMatch: return ("{n} conflict(s) match", "符合条件的冲突 {n} 个")
        case .adminByStatus: return (" (by status: {counts})", "（按状态：{counts}）")
        case .headerCompeting: return ("COMPETING VALUES", "竞争的值")
        case .headerUsers: return ("USERS", "用户")
        case .headerTerritory: return ("TERRITORY", "区域")
        case .headerOpened: return ("OPENED", "发生时间")
        case .headerOutcome: return ("OUTCOME", "结果")
        case .headerShown: return ("SHOWN", "显示中")
        case .headerUser: return ("USER", "用户")
        case .headerWrittenHLC: return ("WRITTEN (HLC)", "写入时间（HLC）")
        case .headerReceived: return ("RECEIVED", "接收时间")
        case .headerWrite: return ("WRITE", "写入")
        case .headerBefore: return ("BEFORE", "之前")
        case .headerNow: return ("NOW", "现在")
        case .headerLog: return ("LOG #", "日志号")
        case .headerSeen: return ("SEEN", "看到的值")
        case .headerWrote: return ("WROTE", "写入的值")
        case .headerNote: return ("NOTE", "说明")
        case .statusOpen: return ("open", "待处理")
        case .statusResolvedByEdit: return ("resolved_by_edit", "已由修改解决")
        case .statusResolvedByAdmin: return ("resolved_by_admin", "已由管理员解决")
        case .statusDismissed: return ("dismissed", "已忽略")
        case .kept: return ("kept", "保留")
        case .rejected: return ("rejected", "已舍弃")
        case .yes: return ("yes", "是")
        case .no: return ("no", "否")
        case .created: return ("created", "新建")
        case .conflict: return ("conflict", "冲突")
        case .adminConflict: return ("conflict {id}: {kind} on {entity} {label} ({record}){field}", "冲突 {id}：{kind}，{entity} {label}（{record}）{field}")
        case .adminConflictField: return (", field {field}", "，字段 {field}")
        case .adminStatus: return ("  status {status}; opened {time}{by}{territory}", "  状态 {status}；发生于 {time}{by}{territory}")
        case .adminBy: return (" by {user}", "，来自 {user}")
        case .adminTerritory: return ("; territory {territory}", "；区域 {territory}")
        case .adminClosed: return ("  closed {time}{by}{resolution}", "  关闭于 {time}{by}{resolution}")
        case .adminOutcome: return ("  outcome: {value}", "  结果：{value}")
        case .adminDisplayed: return ("  displayed: {value}", "  当前显示：{value}")
        case .adminResolveWith: return ("resolve with: fieldsync admin conflicts resolve {id} {flags}", "处理方式：fieldsync admin conflicts resolve {id} {flags}")
        case .adminResolved: return ("conflict {id} {status}{resolution}; {n} server change(s) written (log #{log}); devices get them on their next sync", "冲突 {id} {status}{resolution}；写入了 {n} 个服务器变更（日志 #{log}）；设备在下次同步时收到")
        case .adminDismissed: return ("conflict {id} dismissed: {reason}", "冲突 {id} 已忽略：{reason}")
        case .adminMerged: return ("merged {entity} {duplicate} into {survivor}: {repointed} record(s) re-pointed, {filled} field(s) filled{fields}, {n} server change(s)", "已将{entity} {duplicate} 合并到 {survivor}：{repointed} 条记录改为指向保留的记录，填补了 {filled} 个字段{fields}，{n} 个服务器变更")
        case .adminMergedFields: return (" ({fields})", "（{fields}）")
        case .adminHistoryTitle: return ("{entity} {id}{deleted}: {n} change(s)", "{entity} {id}{deleted}：{n} 个变更")
        case .adminShownValue: return ("shown: {value}", "显示：{value}")
        case .wipedNotDeleted: return ("an admin wiped this device (device_wiped), but its local store {path} could not be deleted: {error}", "管理员已擦除本设备（device_wiped），但无法删除本地数据库 {path}：{error}")
        case .wiped: return ("an admin wiped this device (device_wiped: lost or stolen?); the server accepts nothing more from it. Deleted the local store {path}. To use this computer again, ask an admin for a new code and run `fieldsync enroll`.", "管理员已擦除本设备（device_wiped：丢失或被盗？）；服务器不再接受它的任何内容。已删除本地数据库 {path}。要再次使用这台电脑，请向管理员索取新的注册码并运行 `fieldsync enroll`。")
        case .wipedUnsynced: return ("an admin wiped this device (device_wiped: lost or stolen?); the server accepts nothing more from it. Deleted the local store {path} and its {n} unsynced change(s). To use this computer again, ask an admin for a new code and run `fieldsync enroll`.", "管理员已擦除本设备（device_wiped：丢失或被盗？）；服务器不再接受它的任何内容。已删除本地数据库 {path} 及其 {n} 个未同步的变更。要再次使用这台电脑，请向管理员索取新的注册码并运行 `fieldsync enroll`。")
        case .mineNeedsUser: return ("--mine needs an enrolled device (no user is set); use --owner NAME", "--mine 需要已注册的设备（没有设置用户）；请用 --owner NAME")
        case .serverReportUnreadable: return ("the server's {report} report could not be read: {error}", "无法读取服务器的 {report} 报表：{error}")
        case .noChart: return ("the {report} report has no chart", "{report} 报表没有图表")
        case .cannotRead: return ("cannot read {file}: {error}", "无法读取 {file}：{error}")
        case .adminConcurrentWith: return ("concurrent with {writes}", "与 {writes} 并发")
        case .adminNoSuchValue: return ("conflict {id} has {n} competing value(s)", "冲突 {id} 只有 {n} 个竞争的值")
        case .adminChooseFormat: return ("--choose takes REPLICA:COUNTER as `show` prints it", "--choose 需要 `show` 打印的 REPLICA:COUNTER 格式")
        case .replicaLabel: return ("replica", "副本")
        case .loyalty: return ("loyalty: {summary}", "积分：{summary}")
        case .groupContacts: return ("Contacts", "联系人")
        case .groupOpenOpportunities: return ("Open opportunities", "进行中的商机")
        case .groupRecentVisits: return ("Recent visits", "最近的拜访")
        case .groupOpenTickets: return ("Open tickets", "未关闭的工单")
        case .groupOrders: return ("Orders", "订单")
        case .groupQuotes: return ("Quotes (current versions)", "报价单（当前版本）")
        case .groupContracts: return ("Contracts", "合同")
        case .groupInvoices: return ("Invoices", "发票")
        case .groupLines: return ("Lines", "明细行")
        case .groupPayments: return ("Payments", "回款")
        case .groupCount: return ("{title} ({n})", "{title}（{n}）")
        case .groupEmpty: return ("{title} ({n}): none", "{title}（{n}）：无")
        }
    }
}

/// What an edit did to a record, as the CLI reports it: `created account 0192…`.
public enum RecordVerb: String, Catalogue {
    case created, updated, deleted, accepted, done, tagged, untagged, planned, opened, snoozed, recorded, submitted
    case logged, converted, reordered, checkedIn, checkedOut

    public var texts: (english: String, chinese: String) {
        switch self {
        case .created: return ("created", "已新建")
        case .updated: return ("updated", "已更新")
        case .deleted: return ("deleted", "已删除")
        case .accepted: return ("accepted", "已接受")
        case .done: return ("done", "已完成")
        case .tagged: return ("tagged", "已加标签")
        case .untagged: return ("untagged", "已去标签")
        case .planned: return ("planned", "已计划")
        case .opened: return ("opened", "已创建")
        case .snoozed: return ("snoozed", "已推迟")
        case .recorded: return ("recorded", "已记录")
        case .submitted: return ("submitted", "已提交")
        case .logged: return ("logged", "已登记")
        case .converted: return ("converted", "已转化")
        case .reordered: return ("reordered", "已重排")
        case .checkedIn: return ("checked in", "已签到")
        case .checkedOut: return ("checked out", "已签退")
        }
    }
}

import CRM
import FieldWork

/// The help of every command in English and Chinese: the root's overview and groups, and each
/// command's and subcommand's abstract, discussion, arguments and options. Commands
/// read them in their `static let configuration` and `help:` arguments, which
/// swift-argument-parser evaluates when it runs, after the language is known. The words the
/// parser writes itself (`USAGE:`, `OPTIONS:`, "Show help information.", its usage errors) are
/// translated line by line by `ParserText`.
enum CLIHelp: String, Catalogue {
    case root, rootDiscussion, groupRecords, groupFieldWork, groupReports, groupDevice, groupAdmin
    case initCommand, create, list, show, edit, delete, visit, followUps, followUp, opportunity, tag, points, quote, order
    case invoice, contract, ticket, lead, survey, classify, report, status, conflicts, history, importFixture, importCSV
    case export, enroll, sync, dump, demo, admin
    case database, verbose, json
    case createDiscussion, createEntity, fieldValues, tagOption, newID
    case listDiscussion, listEntity, whereOption, likeOption, listTag, listAccount, listDeleted, listLimit
    case showDiscussion, entity, record, editDiscussion, newValues, clearOption, reopenOption, deleteDiscussion
    case historyDiscussion, conflictsDiscussion, statusDiscussion, syncDiscussion, syncJSON, syncWatch, syncPollInterval
    case enrollDiscussion, enrollServer, enrollCode, enrollName
    // Every other command and subcommand, argument and option, by command.
    case adminConflictsAbstract, adminJSON, listConflictsAbstract, listConflictsStatus, listConflictsEntity, listConflictsKind
    case listConflictsTerritory, listConflictsUser, listConflictsOlderThan, listConflictsLimit, showConflictAbstract, showConflictId
    case resolveConflictAbstract, resolveConflictId, resolveConflictPick, resolveConflictChoose, resolveConflictValue, resolveConflictKeep
    case resolveConflictDelete, resolveConflictRestoreTarget, resolveConflictSurvivor, resolveConflictNote, dismissConflictAbstract
    case dismissConflictReason, adminMergeDuplicatesAbstract, adminMergeDuplicatesSurvivor, adminMergeDuplicatesDuplicate
    case adminMergeDuplicatesEntity, adminMergeDuplicatesNote, adminHistoryAbstract, adminHistoryEntity, adminHistoryId, demoFixtures, demoSeed
    case demoServerExecutable, demoKeep, contractDiscussion, contractSignAbstract, contractTerminateAbstract, contractStepDiscussion, contractArgument
    case createContractAbstract, accountArgument, createContractTitle, createContractStarts, createContractEnds, createContractNumber
    case createContractOrder, createContractValue, createContractCurrency, createContractTerms, createContractNoticeDays, createContractSigned
    case createContractAt, renewContractAbstract, renewContractUntil, renewContractValue, renewContractAt, contractsDueAbstract, contractsDueWithin
    case contractsDueAsOf, followUpDoneAbstract, followUpDoneDiscussion, followUpDoneActivity, followUpSnoozeAbstract, followUpSnoozeDiscussion
    case followUpSnoozeActivity, followUpSnoozeUntil, followUpsDate, invoiceDiscussion, issueInvoiceAbstract, orderArgument, issueInvoiceNumber
    case issueInvoiceAt, issueInvoiceAmount, payInvoiceAbstract, payInvoiceDiscussion, invoiceArgument, payInvoiceAmount, payInvoiceMethod
    case payInvoiceReference, payInvoiceAt, voidInvoiceAbstract, voidInvoiceDiscussion, voidInvoiceReason, voidInvoiceAt, pointsDiscussion
    case pointsMovementPoints, why, earnPointsAbstract, earnPointsOrder, redeemPointsAbstract, redeemPointsReward, reservePointsAbstract
    case reservePointsPoints, releasePointsAbstract, releasePointsPoints, pointsBalanceAbstract, pointsHistoryAbstract, opportunityStageAbstract
    case opportunityStageId, opportunityStageStage, opportunityStageReason, opportunityStageReopen, opportunityStageAmount, opportunityStageAt
    case addOrderLineAbstract, addOrderLineDiscussion, quoteDiscussion, quoteSendAbstract, quoteRejectAbstract, quoteExpireAbstract, quoteStepDiscussion
    case quoteArgument, createQuoteAbstract, createQuoteDiscussion, createQuoteOpportunity, createQuoteNumber, createQuoteCurrency
    case createQuoteValidUntil, notes, addQuoteLineAbstract, addQuoteLineDiscussion, quoteTotalAbstract, reviseQuoteAbstract, acceptQuoteAbstract
    case acceptQuoteDiscussion, acceptQuoteNumber, acceptQuoteAt, tagDiscussion, addTagAbstract, addTagTags, removeTagAbstract, removeTagTags
    case ticketDiscussion, ticketAckAbstract, ticketStartAbstract, ticketResolveAbstract, ticketCloseAbstract, ticketReopenAbstract, ticketArgument
    case ticketActionResolution, ticketActionAt, ticketCallBackAbstract, ticketCallBackNotes, ticketCallBackAt, logVisitAbstract, logVisitDiscussion
    case logVisitAccount, logVisitContact, logVisitType, logVisitSubject, outcome, logVisitNextFollowUp, logVisitAt, logVisitDuration
    case planVisitAbstract, planVisitDiscussion, planVisitAccount, planVisitOn, planVisitAt, planVisitOrder, planVisitPurpose, planVisitContact
    case reorderVisitsAbstract, reorderVisitsDiscussion, reorderVisitsPlans, checkInAbstract, checkInDiscussion, checkInLocation, checkOutAbstract
    case checkOutDiscussion, checkOutNotes, visitStepPlan, visitStepAt, visitCalendarAbstract, visitCalendarDiscussion
    case visitCalendarDay, visitCalendarWeek, visitCalendarOwner, reportName, reportAsOf, reportPeriod, reportOwner, reportMine, reportCurrency
    case reportDays, reportResponseHours, reportCutoffs, reportRule, reportChurnedAfter, reportLoyalPurchases, reportTypes, reportUtcOffset
    case reportJSON, reportCSV, reportChart, reportBars, reportMeasure, reportServer, lineProduct, lineQuantity
    case lineUnitPrice, lineDiscount, lineTax, statusStepAt, csvBOM, exportDiscussion, exportEntity
    case exportFormat, exportFields, importCSVDiscussion, importCSVEntity, importCSVFile, importCSVMappings, importCSVDefaults, importCSVTags
    case importCSVDuplicates, importCSVLines, importCSVDelimiter, importCSVDryRun, importDiscussion, importFile, classifyDiscussion, classifyApply
    case classifyCutoffs, classifyRule, classifyPeriod, classifyCurrency, classifyAsOf, classifyChurnedAfter, classifyLoyalPurchases, classifyAll
    case convertLeadAbstract, convertLeadDiscussion, convertLeadLead, convertLeadOpportunityTitle, convertLeadAmount, convertLeadCurrency
    case convertLeadExpectedClose, convertLeadAccount, convertLeadNewAccount, convertLeadAt, openTicketAbstract, openTicketContact, openTicketTitle
    case openTicketCategory, openTicketSeverity, openTicketDescription, openTicketAssignee, openTicketAt, createOrderAbstract, createOrderDiscussion
    case createOrderOpportunity, createOrderNumber, createOrderCurrency, createOrderAt, submitOrderAbstract, submitOrderDiscussion, submitOrderAt
    case orderStepDiscussion, confirmOrderAbstract, deliverOrderAbstract, cancelOrderAbstract, recordSurveyAbstract, recordSurveyContact
    case recordSurveyKind, recordSurveyScore, recordSurveyComment, recordSurveyChannel, recordSurveyAt, progress, paymentTerms, issueInvoiceDiscussion
    case reportDiscussion, reportTakes, opportunityStageDiscussion

    var texts: (english: String, chinese: String) {
        switch self {
        case .root: return ("Offline-first CRM field client.", "离线优先的 CRM 外勤客户端。")
        case .rootDiscussion: return (
            "Every command works offline on the device store (--db, env FIELDSYNC_DB, default $XDG_DATA_HOME/fieldsync/device.sqlite or ~/.fieldsync/device.sqlite). A record may be typed as its id, a unique prefix of it, or its name (ambiguous names are refused with the list of matches). Messages, tables and help are in Chinese when LC_ALL, LC_MESSAGES or LANG asks for it (LANG=zh_CN.UTF-8).",
            "所有命令都在设备数据库上离线工作（--db，环境变量 FIELDSYNC_DB，默认 $XDG_DATA_HOME/fieldsync/device.sqlite 或 ~/.fieldsync/device.sqlite）。记录可以用 id、id 的唯一前缀或名称指定（名称有歧义时会被拒绝，并列出所有匹配项）。LC_ALL、LC_MESSAGES 或 LANG 要求中文时（LANG=zh_CN.UTF-8），消息、表格和帮助都用中文。"
        )
        case .groupRecords: return ("Records", "记录")
        case .groupFieldWork: return ("Field work", "外勤工作")
        case .groupReports: return ("Reports", "报表")
        case .groupDevice: return ("Device", "设备")
        case .groupAdmin: return ("Admin", "管理")
        case .initCommand: return ("Create the device store (a SQLite file) for this device.", "为本设备创建设备数据库（一个 SQLite 文件）。")
        case .create: return ("Create a record of any entity.", "新建任意对象的记录。")
        case .list: return ("List records that match filters.", "列出符合筛选条件的记录。")
        case .show: return ("Show a record with its conflicts and related records.", "显示一条记录及其冲突和相关记录。")
        case .edit: return ("Edit fields of a record.", "修改记录的字段。")
        case .delete: return ("Delete a record.", "删除一条记录。")
        case .visit: return ("Log visits, calls, e-mails and meetings; plan visits, check in and out.", "登记拜访、电话、邮件和会议；计划拜访，签到和签退。")
        case .followUps: return ("Follow-ups due today and overdue, overdue first, with account names.", "今天到期和已逾期的跟进，逾期的在前，附客户名称。")
        case .followUp: return ("Mark a follow-up done or snooze it (fieldsync followups lists them, with days overdue).", "把跟进标记为完成或推迟（fieldsync followups 列出跟进及逾期天数）。")
        case .opportunity: return ("Move opportunities through the pipeline.", "在销售管道中推进商机。")
        case .tag: return ("Tag and untag accounts.", "给客户加标签或去标签。")
        case .points: return ("Loyalty points (积分): earn, redeem within this device's escrow, balance, history.", "会员积分：获得、在本设备的额度内兑换、余额、历史。")
        case .quote: return ("Quotes from the price list (报价): lines with discount and tax, versions, accepted into an order.", "按价目表报价：含折扣和税率的明细行、版本，接受后转为订单。")
        case .order: return ("Take orders: create a draft, add lines, submit it; then confirm, deliver or cancel it.", "下订单：创建草稿、添加明细行、提交；然后确认、交付或取消。")
        case .invoice: return ("Invoices for orders and the payments received against them (发票 / 回款).", "订单的发票以及收到的回款。")
        case .contract: return ("Contracts with terms, start, expiry and renewal reminders (合同).", "合同：条款、开始、到期和续约提醒。")
        case .ticket: return ("Open service tickets and move them through their statuses.", "创建服务工单并推进其状态。")
        case .lead: return ("Work leads (线索): convert a lead into an account, a contact and an opportunity.", "处理线索：把线索转化为客户、联系人和商机。")
        case .survey: return ("Record satisfaction survey answers (CSAT 1–5, NPS 0–10).", "记录满意度调查答卷（CSAT 1–5，NPS 0–10）。")
        case .classify: return ("Suggest each account's ABC tier and lifecycle stage; --apply writes the changes in one transaction.", "为每个客户建议 ABC 等级和生命周期阶段；--apply 在一个事务中写入修改。")
        case .report: return ("KPI reports over this device's records: fieldsync report pipeline --chart", "基于本设备记录的 KPI 报表：fieldsync report pipeline --chart")
        case .status: return ("Show the device: replica, records, unsynced and rejected changes, conflicts.", "显示设备状态：副本、记录、未同步和被拒绝的变更、冲突。")
        case .conflicts: return ("List open conflicts with every competing value.", "列出待处理的冲突及每个相互竞争的值。")
        case .history: return ("Show the changes that made a record.", "显示构成一条记录的所有变更。")
        case .importFixture: return ("Import records from a fieldsync-fixture/1 file, all or nothing.", "从 fieldsync-fixture/1 文件导入记录，要么全部导入，要么都不导入。")
        case .importCSV: return ("Import records from a CSV spreadsheet: fieldsync import-csv account customers.csv --dry-run", "从 CSV 表格导入记录：fieldsync import-csv account customers.csv --dry-run")
        case .export: return ("Export records as fieldsync-fixture/1 JSON or CSV.", "把记录导出为 fieldsync-fixture/1 JSON 或 CSV。")
        case .enroll: return ("Enroll this device with a sync server using a one-time code.", "用一次性注册码把本设备注册到同步服务器。")
        case .sync: return ("Push local changes and pull the server's, until nothing more is pending.", "推送本地变更并拉取服务器的变更，直到没有待处理的内容。")
        case .dump: return ("Print every record's full merge state as canonical JSON (to compare replicas).", "以规范 JSON 打印每条记录的完整合并状态（用于比较副本）。")
        case .demo: return ("Run a server and three offline devices through concurrent edits, sync and conflicts.", "运行一个服务器和三台离线设备，演示并发修改、同步和冲突。")
        case .admin: return ("Inspect and resolve the server's conflicts, merge duplicate customers, read record histories (admin role).", "查看和处理服务器上的冲突、合并重复客户、查看记录历史（需要管理员角色）。")
        case .database: return ("Device database path (env FIELDSYNC_DB; default $XDG_DATA_HOME/fieldsync/device.sqlite, else $HOME/.fieldsync/device.sqlite).", "设备数据库路径（环境变量 FIELDSYNC_DB；默认 $XDG_DATA_HOME/fieldsync/device.sqlite，否则 $HOME/.fieldsync/device.sqlite）。")
        case .verbose: return ("Log sync details to stderr.", "把同步细节记录到 stderr。")
        case .createDiscussion: return (
            "Example: fieldsync create account name=上海华科电子 territory=east tier=a --tag vip\n\nValues are parsed by the field's type (amount=1200.50, tier=a, birthday=1990-05-01); references take an id, a unique prefix of one or the record's name; set fields take comma-separated members; counters take a starting total.",
            "示例：fieldsync create account name=上海华科电子 territory=east tier=a --tag vip\n\n值按字段类型解析（amount=1200.50，tier=a，birthday=1990-05-01）；引用字段可以用 id、id 的唯一前缀或记录名称；集合字段用逗号分隔各成员；计数字段给出初始总数。"
        )
        case .createEntity: return ("The entity: account, contact, lead, opportunity, activity, quote, order, order_line, ticket, survey.", "对象：account、contact、lead、opportunity、activity、quote、order、order_line、ticket、survey。")
        case .fieldValues: return ("Field values.", "字段值。")
        case .tagOption: return ("Add a tag (repeatable); for entities with a tags field.", "添加标签（可重复）；适用于有 tags 字段的对象。")
        case .newID: return ("The new record's id (a lowercase UUID); made on the device when omitted.", "新记录的 id（小写 UUID）；省略时由设备生成。")
        case .listDiscussion: return ("Example: fieldsync list account --where tier=a --like name=科技 --tag vip --limit 20", "示例：fieldsync list account --where tier=a --like name=科技 --tag vip --limit 20")
        case .listEntity: return ("The entity to list.", "要列出的对象。")
        case .whereOption: return ("Only records whose field equals the value (repeatable; for a set field: contains it).", "只列出字段等于该值的记录（可重复；集合字段为包含该值）。")
        case .likeOption: return ("Only records whose field contains the text, ignoring case (repeatable).", "只列出字段包含该文本的记录，不区分大小写（可重复）。")
        case .listTag: return ("Only records with this tag (repeatable).", "只列出带有该标签的记录（可重复）。")
        case .listAccount: return ("Only this account and its children (an id, a unique prefix or its name).", "只列出该客户及其下级记录（id、唯一前缀或名称）。")
        case .listDeleted: return ("Include deleted records.", "包括已删除的记录。")
        case .listLimit: return ("Show at most this many records (default 50 in a table, all with --json).", "最多显示这么多条记录（表格默认 50 条，--json 时全部）。")
        case .showDiscussion: return (
            "Every field with a value, the competing values of conflicted fields, and for an account its contacts, open opportunities, recent visits, open tickets, orders, current quotes, contracts and invoices with its orders, revenue and receivables (for an order or a quote, its lines; for an invoice, its payments).",
            "显示每个有值的字段、有冲突字段的所有竞争值；客户还显示其联系人、进行中的商机、最近的拜访、未关闭的工单、订单、当前报价单、合同和发票，以及订单、收入和应收账款（订单或报价单显示明细行；发票显示回款）。"
        )
        case .entity: return ("The entity.", "对象。")
        case .record: return ("The record: its id, a unique prefix of it, or its name.", "记录：id、id 的唯一前缀或名称。")
        case .editDiscussion: return (
            "Example: fieldsync edit opportunity 3f2a amount=128000 expected_close=2026-12-20 --clear lost_reason\n\nA set field given as a=b,c becomes exactly those members; a counter given as N moves to the total N.",
            "示例：fieldsync edit opportunity 3f2a amount=128000 expected_close=2026-12-20 --clear lost_reason\n\n集合字段写成 a=b,c 时恰好变为这些成员；计数字段写成 N 时总数变为 N。"
        )
        case .newValues: return ("New field values.", "新的字段值。")
        case .clearOption: return ("Clear a field (repeatable).", "清空一个字段（可重复）。")
        case .reopenOption: return ("Allow moving a won or lost opportunity (stage=negotiation) or a resolved ticket (status=in_progress) back.", "允许把已赢单或已输单的商机（stage=negotiation）或已解决的工单（status=in_progress）改回去。")
        case .deleteDiscussion: return ("The delete syncs like any edit; one that meets a concurrent edit on another device is kept as a conflict.", "删除和其他修改一样同步；与另一台设备上的并发修改相遇时，会作为冲突保留。")
        case .historyDiscussion: return (
            "Who (which replica; the enrolled user for this device), when (the change's HLC as UTC time), whether it was made here or pulled, and each field's old → new value, where old is the value the change's writer had seen (from the change's context). A write made without seeing another write of the same field is marked concurrent with it.",
            "谁（哪个副本；本设备显示注册的用户）、何时（变更的 HLC，UTC 时间）、在本设备修改还是同步而来，以及每个字段的旧值 → 新值，其中旧值是写入者当时看到的值（来自变更的上下文）。没有看到同一字段另一次写入的写入，会标记为与之并发。"
        )
        case .conflictsDiscussion: return ("Resolve a field conflict by editing the field: the edit supersedes every value it saw.", "修改字段即可解决字段冲突：这次修改取代它看到的所有值。")
        case .statusDiscussion: return ("Changes the server rejected stay on the device and are listed with the server's reason.", "被服务器拒绝的变更保留在设备上，并列出服务器给出的原因。")
        case .syncDiscussion: return (
            "Exit status: 0 when every change was accepted; {refused} when the server refused some (they stay on this device, see `fieldsync status`); {unreachable} when the server could not be reached (nothing is lost: unsynced edits stay on this device and go with the next sync); 1 for other errors.",
            "退出状态：所有变更都被接受时为 0；服务器拒绝了部分变更时为 {refused}（它们保留在本设备上，见 `fieldsync status`）；无法连接服务器时为 {unreachable}（不会丢失任何内容：未同步的修改保留在本设备上，下次同步时一并推送）；其他错误为 1。"
        )
        case .syncJSON: return ("Print a JSON summary instead of text.", "打印 JSON 摘要而不是文本。")
        case .syncWatch: return (
            "Stay online: sync now, then whenever the server says this device's territories have news, whenever edits wait on this device, and every --poll-interval seconds; one line per sync (with --json, one JSON object per line). Runs until interrupted; a lost connection is retried with backoff.",
            "保持在线：现在同步，之后每当服务器通知本设备的区域有新消息、本设备有待推送的修改，以及每隔 --poll-interval 秒时同步；每次同步输出一行（使用 --json 时每行一个 JSON 对象）。一直运行直到被中断；连接中断时会逐步延长间隔重试。"
        )
        case .syncPollInterval: return ("With --watch: sync at least this often, in seconds (a lost notification costs at most this long).", "配合 --watch：至少每隔这么多秒同步一次（丢失一次通知最多延迟这么久）。")
        case .enrollDiscussion: return (
            "Safe to run again with the same code when it was interrupted or its answer was lost (until the device's first sync). A revoked device enrolls again with a new code of the same user and keeps its unsynced changes.",
            "中断或没有收到回应时，可以用同一个注册码再次运行（直到设备首次同步）。被吊销的设备用同一用户的新注册码重新注册，并保留未同步的变更。"
        )
        case .enrollServer: return ("The sync server's base URL, e.g. http://127.0.0.1:8080.", "同步服务器的基础 URL，例如 http://127.0.0.1:8080。")
        case .enrollCode: return ("The one-time enrollment code an admin printed with `fieldsync-server user add`.", "管理员用 `fieldsync-server user add` 打印的一次性注册码。")
        case .enrollName: return ("A name for this device, shown to admins.", "本设备的名称，显示给管理员。")
        case .json: return ("Print stable JSON (sorted keys) instead of a table.", "打印稳定的 JSON（键已排序）而不是表格。")
        case .adminConflictsAbstract: return ("The server's conflict log.", "服务器的冲突日志。")
        case .adminJSON: return ("Print JSON instead of a table.", "打印 JSON 而不是表格。")
        case .listConflictsAbstract: return ("List conflicts (open ones by default).", "列出冲突（默认只列待处理的）。")
        case .listConflictsStatus: return ("open, resolved_by_edit, resolved_by_admin, dismissed, closed or all.", "open、resolved_by_edit、resolved_by_admin、dismissed、closed 或 all。")
        case .listConflictsEntity: return ("Only this entity (account, contact, …).", "只看该对象（account、contact…）。")
        case .listConflictsKind: return ("concurrent_values, delete_vs_edit, orphan_reference or probable_duplicate.", "concurrent_values、delete_vs_edit、orphan_reference 或 probable_duplicate。")
        case .listConflictsTerritory: return ("Only records of this territory.", "只看该区域的记录。")
        case .listConflictsUser: return ("Only conflicts a write of this user takes part in.", "只看有该用户的写入参与的冲突。")
        case .listConflictsOlderThan: return ("Open for at least this long: 30m, 2h, 3d.", "至少已待处理这么久：30m、2h、3d。")
        case .listConflictsLimit: return ("At most this many entries.", "最多显示这么多条。")
        case .showConflictAbstract: return ("Show one conflict with its competing values and the record before and after.", "显示一个冲突：各个竞争值，以及记录处理前后的样子。")
        case .showConflictId: return ("The conflict id (from `fieldsync admin conflicts list`).", "冲突 id（见 `fieldsync admin conflicts list`）。")
        case .resolveConflictAbstract: return ("Resolve a conflict: the server writes the outcome as a change that every device receives.", "处理一个冲突：服务器把结果写成一条变更，所有设备都会收到。")
        case .resolveConflictId: return ("The conflict id.", "冲突 id。")
        case .resolveConflictPick: return ("Keep competing value number N (as numbered by `show`).", "保留第 N 个竞争值（编号见 `show`）。")
        case .resolveConflictChoose: return ("Keep the competing value written as REPLICA:COUNTER.", "保留以 REPLICA:COUNTER 写入的那个竞争值。")
        case .resolveConflictValue: return ("Write this value instead (typed as in the record commands).", "改为写入这个值（写法与记录命令相同）。")
        case .resolveConflictKeep: return ("Keep a record a delete met.", "保留遇到删除的记录。")
        case .resolveConflictDelete: return ("Delete the record.", "删除该记录。")
        case .resolveConflictRestoreTarget: return ("Restore the deleted record an orphan reference names.", "恢复孤立引用指向的已删除记录。")
        case .resolveConflictSurvivor: return ("Merge a probable duplicate, keeping this record id.", "合并可能重复的记录，保留这个记录 id。")
        case .resolveConflictNote: return ("A note kept with the resolution.", "随处理结果保存的备注。")
        case .dismissConflictAbstract: return ("Dismiss a conflict without changing the record.", "忽略一个冲突，不修改记录。")
        case .dismissConflictReason: return ("Why it needs no action (kept in the log).", "为什么不需要处理（记入日志）。")
        case .adminMergeDuplicatesAbstract: return ("Merge two duplicate customers: children move to the survivor, its empty fields are filled, the duplicate is deleted.", "合并两个重复客户：下级记录转到保留的客户，其空字段被补齐，重复的客户被删除。")
        case .adminMergeDuplicatesSurvivor: return ("The record that stays.", "保留的记录。")
        case .adminMergeDuplicatesDuplicate: return ("The record merged into it and deleted.", "并入保留记录后被删除的记录。")
        case .adminMergeDuplicatesEntity: return ("The entity of both records.", "两条记录的对象。")
        case .adminMergeDuplicatesNote: return ("A note kept with the merge.", "随合并保存的备注。")
        case .adminHistoryAbstract: return ("Every change the server logged for one record: who, which device, when, and per field the value its writer had seen → the value it wrote, with concurrent writes marked.", "服务器为一条记录记下的每次变更：谁、哪台设备、何时，以及每个字段写入者当时看到的值 → 写入的值，并发写入会标出。")
        case .adminHistoryEntity: return ("The entity (account, contact, …).", "对象（account、contact…）。")
        case .adminHistoryId: return ("The record id, or a prefix of it that names one record.", "记录 id，或能唯一确定一条记录的 id 前缀。")
        case .demoFixtures: return ("The fixture data set to load on the server.", "在服务器上加载的样例数据集。")
        case .demoSeed: return ("Seed for the sync order (random when omitted).", "同步顺序的随机种子（省略时随机）。")
        case .demoServerExecutable: return ("Path of the fieldsync-server executable (default: next to this one).", "fieldsync-server 可执行文件的路径（默认：与本程序在同一目录）。")
        case .demoKeep: return ("Keep the temporary directory with the server and device databases.", "保留存放服务器和设备数据库的临时目录。")
        case .contractDiscussion: return ("draft → active → terminated. An active contract is due for renewal renewal_notice_days (default 30) before it ends; `contract due` lists them.", "draft → active → terminated。生效中的合同在结束前 renewal_notice_days 天（默认 30 天）到续约期；`contract due` 列出这些合同。")
        case .contractSignAbstract: return ("Sign a draft contract: it becomes active (stamps signed_on).", "签署草稿合同：合同生效（记录 signed_on）。")
        case .contractTerminateAbstract: return ("Terminate a contract (stamps terminated_on); final.", "终止合同（记录 terminated_on）；不可撤销。")
        case .contractStepDiscussion: return ("draft → active → terminated; other moves are refused (invalid_transition).", "draft → active → terminated；其他状态变化会被拒绝（invalid_transition）。")
        case .contractArgument: return ("The contract: an id, a unique prefix or its title.", "合同：id、id 的唯一前缀或标题。")
        case .createContractAbstract: return ("Record a contract: fieldsync contract create --account 3f2a --title \"2027 supply\" --starts 2027-01-01 --ends 2027-12-31 --signed", "登记合同：fieldsync contract create --account 3f2a --title \"2027 supply\" --starts 2027-01-01 --ends 2027-12-31 --signed")
        case .accountArgument: return ("The account: an id, a unique prefix or its name.", "客户：id、id 的唯一前缀或名称。")
        case .createContractTitle: return ("The contract's title.", "合同标题。")
        case .createContractStarts: return ("The first day it runs: YYYY-MM-DD, today, tomorrow or +Nd.", "合同生效的第一天：YYYY-MM-DD、today、tomorrow 或 +Nd。")
        case .createContractEnds: return ("The last day it runs: YYYY-MM-DD, today, tomorrow or +Nd.", "合同的最后一天：YYYY-MM-DD、today、tomorrow 或 +Nd。")
        case .createContractNumber: return ("The contract number.", "合同编号。")
        case .createContractOrder: return ("The order it was signed for (must belong to the account).", "合同对应的订单（必须属于该客户）。")
        case .createContractValue: return ("Its value.", "合同金额。")
        case .createContractCurrency: return ("The currency of its value.", "合同金额的币种。")
        case .createContractTerms: return ("The contract terms, as text (合同条款).", "合同条款，文本形式。")
        case .createContractNoticeDays: return ("How many days before it ends the renewal is due (default 30).", "结束前多少天进入续约期（默认 30）。")
        case .createContractSigned: return ("It is signed: active from the start, signed_on the day of --at.", "已签署：从开始日起生效，signed_on 为 --at 那天。")
        case .createContractAt: return ("When it was signed: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "签署时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .renewContractAbstract: return ("Renew an active contract: a new contract from the day after it ends until --until, with the same terms.", "续签生效中的合同：新合同从原合同结束的次日起到 --until 为止，条款不变。")
        case .renewContractUntil: return ("The last day of the renewed contract: YYYY-MM-DD, today, tomorrow or +Nd.", "续签合同的最后一天：YYYY-MM-DD、today、tomorrow 或 +Nd。")
        case .renewContractValue: return ("The renewed contract's value (default: the old one's).", "续签合同的金额（默认：与原合同相同）。")
        case .renewContractAt: return ("When the renewal was signed: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "续签时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .contractsDueAbstract: return ("Contracts due for renewal: active, not renewed, past their renewal day (or ending within --within days); expired ones stay listed.", "到续约期的合同：生效中、未续签、已过续约提醒日（或在 --within 天内结束）；已到期的仍会列出。")
        case .contractsDueWithin: return ("List the contracts ending within this many days instead of by their own renewal notice.", "列出在这么多天内结束的合同，而不按各自的续约提醒天数。")
        case .contractsDueAsOf: return ("The day (default today, China time): YYYY-MM-DD, today, tomorrow or +Nd.", "日期（默认今天，中国时间）：YYYY-MM-DD、today、tomorrow 或 +Nd。")
        case .followUpDoneAbstract: return ("Mark an activity's follow-up done.", "把一条活动的跟进标记为完成。")
        case .followUpDoneDiscussion: return ("Example: fieldsync followup done 0192f0c4 (the ID column of fieldsync followups)", "示例：fieldsync followup done 0192f0c4（即 fieldsync followups 的 ID 列）")
        case .followUpDoneActivity: return ("The activity whose follow-up is done (an id or a unique prefix).", "要完成跟进的活动（id 或唯一前缀）。")
        case .followUpSnoozeAbstract: return ("Move an open follow-up to a later day.", "把未完成的跟进推迟到以后某天。")
        case .followUpSnoozeDiscussion: return ("Example: fieldsync followup snooze 0192f0c4 --until +3d", "示例：fieldsync followup snooze 0192f0c4 --until +3d")
        case .followUpSnoozeActivity: return ("The activity whose follow-up moves (an id or a unique prefix).", "要推迟跟进的活动（id 或唯一前缀）。")
        case .followUpSnoozeUntil: return ("The new due day: YYYY-MM-DD, tomorrow or +Nd (today or later).", "新的到期日：YYYY-MM-DD、tomorrow 或 +Nd（今天或以后）。")
        case .followUpsDate: return ("The day to look from: YYYY-MM-DD, today, tomorrow or +Nd (default: today).", "从哪天看：YYYY-MM-DD、today、tomorrow 或 +Nd（默认：今天）。")
        case .invoiceDiscussion: return ("What is still owed is the invoice amount less its payments; `fieldsync report receivables` ages it by days past due.", "未收金额是发票金额减去已收回款；`fieldsync report receivables` 按逾期天数做账龄分析。")
        case .issueInvoiceAbstract: return ("Invoice a confirmed or delivered order: fieldsync invoice issue SO-2026-0142 --terms net_30", "为已确认或已交付的订单开票：fieldsync invoice issue SO-2026-0142 --terms net_30")
        case .orderArgument: return ("The order: an id, a unique prefix or its number.", "订单：id、id 的唯一前缀或订单编号。")
        case .issueInvoiceNumber: return ("The invoice number (e.g. INV-2026-0088).", "发票号码（例如 INV-2026-0088）。")
        case .issueInvoiceAt: return ("When it was issued (issued_on is its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "开票时间（issued_on 为当天）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .issueInvoiceAmount: return ("Invoice a part of the order (a deposit, one delivery); default: all its invoices do not cover yet.", "只为订单的一部分开票（定金、一次交货）；默认：订单中尚未开票的全部金额。")
        case .payInvoiceAbstract: return ("Record a payment received against an invoice: fieldsync invoice pay INV-2026-0088 --amount 5000", "登记一笔发票回款：fieldsync invoice pay INV-2026-0088 --amount 5000")
        case .payInvoiceDiscussion: return ("Each payment is a record of its own: partial payments recorded on several devices offline all count once synced. A payment above what this device knows is still owed is refused.", "每笔回款都是一条独立记录：在几台设备上离线登记的部分回款，同步后都会计入。超过本设备已知未收金额的回款会被拒绝。")
        case .invoiceArgument: return ("The invoice: an id, a unique prefix or its number.", "发票：id、id 的唯一前缀或发票号码。")
        case .payInvoiceAmount: return ("The amount received.", "收到的金额。")
        case .payInvoiceMethod: return ("bank_transfer, cash, cheque, card, wechat_pay or alipay.", "bank_transfer、cash、cheque、card、wechat_pay 或 alipay。")
        case .payInvoiceReference: return ("The bank or receipt reference.", "银行流水号或收据号。")
        case .payInvoiceAt: return ("When it was received (received_on is its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "收款时间（received_on 为当天）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .voidInvoiceAbstract: return ("Void an unpaid invoice (作废): fieldsync invoice void INV-2026-0088 --reason \"抬头错误\"", "作废未付款的发票：fieldsync invoice void INV-2026-0088 --reason \"抬头错误\"")
        case .voidInvoiceDiscussion: return ("The invoice owes nothing afterwards and its order can be invoiced again. An invoice with payments is not voided.", "作废后发票不再有未收金额，其订单可以重新开票。已有回款的发票不能作废。")
        case .voidInvoiceReason: return ("Why it is voided (kept in its notes).", "作废原因（记入发票备注）。")
        case .voidInvoiceAt: return ("When it was voided: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "作废时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .pointsDiscussion: return ("""
            Every movement is a ledger entry with a reason; the balance is derived from them, and \
            the level (会员等级) from the points ever earned. A device redeems offline only out of \
            its escrow: points the server reserved for it (`points reserve`, granted at the next \
            sync out of what no other device holds), so two offline devices can never redeem the \
            same points and no balance goes below zero. An admin corrects points with an \
            adjustment (`fieldsync-server` admin API), not from a device.
            """, "每次积分变动都是一条带原因的流水；余额由流水算出，会员等级由累计获得的积分决定。设备离线时只能在自己的额度内兑换：额度是服务器为它预留的积分（`points reserve`，在下次同步时从其他设备未占用的积分中划拨），因此两台离线设备不会兑换同一批积分，余额也不会低于零。积分调整由管理员通过 `fieldsync-server` 管理接口完成，不能在设备上操作。")
        case .pointsMovementPoints: return ("How many points (default: what the order earns, or the reward costs).", "积分数（默认：订单可得的积分，或礼品所需的积分）。")
        case .why: return ("Why.", "原因。")
        case .earnPointsAbstract: return ("Record points earned: from an order by the program's rule (default 1 point per 100 of its total), or a number with a reason.", "登记获得的积分：按积分规则从订单获得（默认订单总额每 100 得 1 分），或按数量并注明原因。")
        case .earnPointsOrder: return ("The order they are earned from (submitted, confirmed or delivered; once per order).", "获得积分的订单（已提交、已确认或已交付；每个订单只计一次）。")
        case .redeemPointsAbstract: return ("Redeem points (for a reward, which names its cost), within what this device may redeem offline (its escrow).", "兑换积分（兑换礼品时按礼品所需积分），不超过本设备可离线兑换的额度。")
        case .redeemPointsReward: return ("The reward: its id, a prefix or its name.", "礼品：id、前缀或名称。")
        case .reservePointsAbstract: return ("Ask the server for escrow on an account: at the next sync it grants up to this many points no other device holds.", "向服务器申请某客户的积分额度：下次同步时，服务器最多划拨这么多其他设备未占用的积分。")
        case .reservePointsPoints: return ("How many points.", "积分数。")
        case .releasePointsAbstract: return ("Hand this device's unused escrow on an account back to the server (all of it by default).", "把本设备在某客户上未用完的额度还给服务器（默认全部归还）。")
        case .releasePointsPoints: return ("How many points (default: all of this device's escrow).", "积分数（默认：本设备的全部额度）。")
        case .pointsBalanceAbstract: return ("An account's points, level and what this device may redeem offline.", "客户的积分、会员等级，以及本设备可离线兑换的积分。")
        case .pointsHistoryAbstract: return ("An account's ledger: every movement with its reason, oldest first.", "客户的积分流水：每次变动及其原因，按时间先后排列。")
        case .opportunityStageAbstract: return ("Move an opportunity to another stage.", "把商机推进到另一个阶段。")
        case .opportunityStageId: return ("The opportunity: an id, a unique prefix or its title.", "商机：id、id 的唯一前缀或标题。")
        case .opportunityStageStage: return ("The new stage (omit with --reopen).", "新阶段（用 --reopen 时省略）。")
        case .opportunityStageReason: return ("Why the deal was lost (required for lost).", "输单原因（lost 时必填）。")
        case .opportunityStageReopen: return ("Reopen a won or lost opportunity (back to negotiation).", "重新打开已赢单或已输单的商机（回到 negotiation）。")
        case .opportunityStageAmount: return ("Also set the amount.", "同时修改金额。")
        case .opportunityStageAt: return ("When it happened (a won or lost deal closes on its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "发生时间（赢单或输单的商机在当天关闭）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .addOrderLineAbstract: return ("Add a line to a draft order and update its total.", "给草稿订单添加明细行并更新订单总额。")
        case .addOrderLineDiscussion: return ("The unit price comes from the product list unless --unit-price is given; the line (with its discount and tax rate) and the new order total are written in one transaction.", "单价取自产品价目表，除非给出 --unit-price；明细行（含折扣和税率）和新的订单总额在一个事务中写入。")
        case .quoteDiscussion: return ("""
            draft → sent → accepted, rejected or expired; `revise` makes the next version (a draft with the same lines) and \
            supersedes the old one. A quote's total is derived from its lines (frozen when sent and accepted); accepting \
            creates the order with the same lines in one transaction, once.
            """, "draft → sent → accepted、rejected 或 expired；`revise` 生成下一个版本（明细行相同的草稿）并取代旧版本。报价单的总额由明细行算出（发送和接受时锁定）；接受时在一个事务中创建含相同明细行的订单，只创建一次。")
        case .quoteSendAbstract: return ("Send a draft quote to the customer: its lines are checked and its total frozen (stamps sent_on).", "把草稿报价单发给客户：检查明细行并锁定总额（记录 sent_on）。")
        case .quoteRejectAbstract: return ("Record that the customer rejected a sent quote (stamps decided_on); revise it for a new offer.", "登记客户拒绝了已发送的报价单（记录 decided_on）；要重新报价请修订它。")
        case .quoteExpireAbstract: return ("Mark a sent quote expired (stamps decided_on).", "把已发送的报价单标记为已过期（记录 decided_on）。")
        case .quoteStepDiscussion: return ("draft → sent → accepted, rejected or expired; other moves are refused (invalid_transition).", "draft → sent → accepted、rejected 或 expired；其他状态变化会被拒绝（invalid_transition）。")
        case .quoteArgument: return ("The quote: an id, a unique prefix or its number (the current version).", "报价单：id、id 的唯一前缀或报价单编号（当前版本）。")
        case .createQuoteAbstract: return ("Start a draft quote (version 1) for an account: fieldsync quote create --account 3f2a --number QT-2026-0031", "为客户新建草稿报价单（第 1 版）：fieldsync quote create --account 3f2a --number QT-2026-0031")
        case .createQuoteDiscussion: return ("Then add lines with `quote add-line`, and `quote send` it.", "然后用 `quote add-line` 添加明细行，再用 `quote send` 发送。")
        case .createQuoteOpportunity: return ("The opportunity it prices (must belong to the account).", "报价针对的商机（必须属于该客户）。")
        case .createQuoteNumber: return ("The quote number, kept by every version (e.g. QT-2026-0031); commands take it instead of an id.", "报价单编号，各版本共用（例如 QT-2026-0031）；命令可以用它代替 id。")
        case .createQuoteCurrency: return ("The currency (default: the opportunity's, else the first line's product's).", "币种（默认：商机的币种，否则为第一行产品的币种）。")
        case .createQuoteValidUntil: return ("The last day the offer holds: YYYY-MM-DD, today, tomorrow or +Nd.", "报价有效的最后一天：YYYY-MM-DD、today、tomorrow 或 +Nd。")
        case .notes: return ("Notes.", "备注。")
        case .addQuoteLineAbstract: return ("Add a line to a draft quote, priced from the product list.", "给草稿报价单添加一行，按产品价目表定价。")
        case .addQuoteLineDiscussion: return ("Only the line is written: the quote's total is derived from its lines, so lines added on two devices offline both count.", "只写入这一行：报价单总额由明细行算出，所以两台设备离线添加的明细行都会计入。")
        case .quoteTotalAbstract: return ("Show a quote's net, tax and gross totals, derived from its lines as they are on this device.", "显示报价单的净额、税额和含税总额，按本设备上的明细行计算。")
        case .reviseQuoteAbstract: return ("Make the next version of a quote: a draft with the same lines, linked to the old one, which is superseded.", "生成报价单的下一个版本：明细行相同的草稿，关联到旧版本，旧版本被取代。")
        case .acceptQuoteAbstract: return ("Accept a sent quote: the order and its lines are created from it in one transaction.", "接受已发送的报价单：在一个事务中据此创建订单及其明细行。")
        case .acceptQuoteDiscussion: return ("The order is submitted, with the quote's lines, discounts, taxes and total. Accepting an accepted quote again changes nothing.", "订单为已提交状态，带有报价单的明细行、折扣、税额和总额。再次接受已接受的报价单不会有任何变化。")
        case .acceptQuoteNumber: return ("The new order's number (e.g. SO-2026-0142).", "新订单的编号（例如 SO-2026-0142）。")
        case .acceptQuoteAt: return ("When the customer accepted (the order's ordered_on and the quote's decided_on are its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "客户接受的时间（订单的 ordered_on 和报价单的 decided_on 为当天）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .tagDiscussion: return ("Tags from several devices merge; an add concurrent with a remove wins.", "多台设备的标签会合并；与删除并发的添加优先。")
        case .addTagAbstract: return ("Add tags to an account.", "给客户添加标签。")
        case .addTagTags: return ("The tags to add.", "要添加的标签。")
        case .removeTagAbstract: return ("Remove tags from an account.", "去掉客户的标签。")
        case .removeTagTags: return ("The tags to remove.", "要去掉的标签。")
        case .ticketDiscussion: return ("open → acknowledged → in_progress → resolved → closed; a resolved ticket may be reopened. The first response and resolution times are stamped; `callback` records the call-back (回访) after the resolution.", "open → acknowledged → in_progress → resolved → closed；已解决的工单可以重新打开。首次响应和解决时间会被记录；`callback` 登记解决后的回访。")
        case .ticketAckAbstract: return ("Acknowledge a ticket (stamps the first response time).", "受理工单（记录首次响应时间）。")
        case .ticketStartAbstract: return ("Start work on a ticket (in_progress).", "开始处理工单（in_progress）。")
        case .ticketResolveAbstract: return ("Resolve a ticket (stamps the resolution time); add --resolution.", "解决工单（记录解决时间）；加上 --resolution。")
        case .ticketCloseAbstract: return ("Close a resolved ticket (final).", "关闭已解决的工单（不可撤销）。")
        case .ticketReopenAbstract: return ("Reopen a resolved ticket (back to in_progress).", "重新打开已解决的工单（回到 in_progress）。")
        case .ticketArgument: return ("The ticket: an id, a unique prefix or its title.", "工单：id、id 的唯一前缀或标题。")
        case .ticketActionResolution: return ("What was done to solve it.", "做了什么来解决问题。")
        case .ticketActionAt: return ("When it happened (the response and resolution times are stamped with it): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "发生时间（响应和解决时间按它记录）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .ticketCallBackAbstract: return ("Record the call-back (回访) to the customer after a resolution (stamps called_back_at).", "登记问题解决后对客户的回访（记录 called_back_at）。")
        case .ticketCallBackNotes: return ("What the customer said (added to the resolution).", "客户的反馈（追加到解决说明中）。")
        case .ticketCallBackAt: return ("When the customer was called: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "回访客户的时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .logVisitAbstract: return ("Log a visit or call with its outcome and next follow-up.", "登记一次拜访或电话，包括结果和下次跟进。")
        case .logVisitDiscussion: return ("Example: fieldsync visit log --account 3f2a --contact 9c1d --type call --outcome 'wants a quote' --next-follow-up +7d", "示例：fieldsync visit log --account 3f2a --contact 9c1d --type call --outcome '需要报价' --next-follow-up +7d")
        case .logVisitAccount: return ("The account visited (an id, a unique prefix or its name).", "拜访的客户（id、id 的唯一前缀或名称）。")
        case .logVisitContact: return ("The contact met (an id, a unique prefix or its name); must belong to the account.", "见到的联系人（id、id 的唯一前缀或名称）；必须属于该客户。")
        case .logVisitType: return ("visit, call, email or meeting.", "visit、call、email 或 meeting。")
        case .logVisitSubject: return ("A short subject.", "简短的主题。")
        case .outcome: return ("What came of it.", "结果如何。")
        case .logVisitNextFollowUp: return ("When to follow up: YYYY-MM-DD, tomorrow, or +Nd.", "何时跟进：YYYY-MM-DD、tomorrow 或 +Nd。")
        case .logVisitAt: return ("When it happened: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "发生时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .logVisitDuration: return ("How long it took, in minutes.", "用了多长时间，单位为分钟。")
        case .planVisitAbstract: return ("Plan a customer visit (客户拜访) on a day, optionally at a time and a place in the route.", "计划某天的客户拜访，可指定时间和在路线中的顺序。")
        case .planVisitDiscussion: return ("Example: fieldsync visit plan 华东机械 --on tomorrow --at 09:30 --order 1 --purpose 'quote follow-up'", "示例：fieldsync visit plan 华东机械 --on tomorrow --at 09:30 --order 1 --purpose '报价跟进'")
        case .planVisitAccount: return ("The account to visit (an id, a unique prefix or its name).", "要拜访的客户（id、id 的唯一前缀或名称）。")
        case .planVisitOn: return ("The day: YYYY-MM-DD, today, tomorrow or +Nd.", "日期：YYYY-MM-DD、today、tomorrow 或 +Nd。")
        case .planVisitAt: return ("The planned time: HH:MM on that day in the device's time zone, or YYYY-MM-DDTHH:MM with Z or an offset such as +08:00.", "计划时间：当天设备时区的 HH:MM，或带 Z 或 +08:00 这样时差的 YYYY-MM-DDTHH:MM。")
        case .planVisitOrder: return ("The visit's place in the day's route (1 first).", "这次拜访在当天路线中的顺序（1 为第一站）。")
        case .planVisitPurpose: return ("What the visit is for.", "拜访目的。")
        case .planVisitContact: return ("The contact to meet (an id, a unique prefix or its name); must belong to the account.", "要见的联系人（id、id 的唯一前缀或名称）；必须属于该客户。")
        case .reorderVisitsAbstract: return ("Set a day's route: the plans named become stops 1, 2, …; the day's other plans follow.", "安排某天的路线：列出的计划依次成为第 1、2…站，当天其他计划排在后面。")
        case .reorderVisitsDiscussion: return ("Example: fieldsync visit reorder 0192f0c4 0192f0d1 (plan ids or prefixes, as `visit calendar` shows them)", "示例：fieldsync visit reorder 0192f0c4 0192f0d1（计划 id 或前缀，与 `visit calendar` 显示的一致）")
        case .reorderVisitsPlans: return ("The plans in the order to visit them (ids or unique prefixes), all of one rep's day.", "按拜访顺序排列的计划（id 或唯一前缀），须是同一销售代表同一天的计划。")
        case .checkInAbstract: return ("Check in at a planned visit: the arrival time and place.", "在计划的拜访签到：记录到达时间和地点。")
        case .checkInDiscussion: return ("Example: fieldsync visit checkin 0192f0c4 --at 2026-11-20T09:35+08:00 --location 31.2304,121.4737", "示例：fieldsync visit checkin 0192f0c4 --at 2026-11-20T09:35+08:00 --location 31.2304,121.4737")
        case .checkInLocation: return ("Where: latitude,longitude in degrees.", "地点：纬度,经度，单位为度。")
        case .checkOutAbstract: return ("Check out of a visit: it becomes a done visit (an activity of type visit).", "拜访签退：计划变为已完成的拜访（一条类型为 visit 的活动）。")
        case .checkOutDiscussion: return ("Example: fieldsync visit checkout 0192f0c4 --at 2026-11-20T10:20+08:00 --outcome 'wants a quote'", "示例：fieldsync visit checkout 0192f0c4 --at 2026-11-20T10:20+08:00 --outcome '需要报价'")
        case .checkOutNotes: return ("Notes of the visit.", "拜访备注。")
        case .visitStepPlan: return ("The plan (an id or a unique prefix).", "拜访计划（id 或唯一前缀）。")
        case .visitStepAt: return ("When: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .visitCalendarAbstract: return ("The visit plan of a day or an ISO week, each day as a route, planned against done.", "某天或某个 ISO 周的拜访计划，每天按路线排列，计划与完成对照。")
        case .visitCalendarDiscussion: return ("Example: fieldsync visit calendar --week today", "示例：fieldsync visit calendar --week today")
        case .visitCalendarDay: return ("One day: YYYY-MM-DD, today, tomorrow or +Nd (default: today).", "某一天：YYYY-MM-DD、today、tomorrow 或 +Nd（默认：今天）。")
        case .visitCalendarWeek: return ("The ISO week (Monday to Sunday) holding this day.", "包含这一天的 ISO 周（周一到周日）。")
        case .visitCalendarOwner: return ("Only this rep's plans (default: every rep's on this device).", "只看该销售代表的计划（默认：本设备上所有人的计划）。")
        case .reportName: return ("The report.", "报表名称。")
        case .reportAsOf: return ("The day the report is for: YYYY-MM-DD, today, yesterday or -Nd (default: today, China time).", "报表的日期：YYYY-MM-DD、today、yesterday 或 -Nd（默认：今天，中国时间）。")
        case .reportPeriod: return ("YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD..YYYY-MM-DD, or Nd for the N days up to --as-of.", "YYYY、YYYY-Qn、YYYY-MM、YYYY-MM-DD..YYYY-MM-DD，或 Nd 表示截至 --as-of 的 N 天。")
        case .reportOwner: return ("Only this rep's records.", "只看该销售代表的记录。")
        case .reportMine: return ("Only the enrolled user's records (--owner ME).", "只看已注册用户自己的记录（--owner ME）。")
        case .reportCurrency: return ("A currency code (pipeline: only this currency; abc: revenue currency).", "币种代码（pipeline：只看该币种；abc：收入的币种）。")
        case .reportDays: return ("churn: days without contact (default 90).", "churn：多少天未联系（默认 90）。")
        case .reportResponseHours: return ("complaints: the response standard in hours (default 24).", "complaints：响应时限，单位为小时（默认 24）。")
        case .reportCutoffs: return ("abc: cut-offs in percent (default 80,95 by revenue).", "abc：分级界限，单位为百分比（默认按收入 80,95）。")
        case .reportRule: return ("abc: revenue (share of revenue) or customers (share of accounts).", "abc：revenue（按收入占比）或 customers（按客户数占比）。")
        case .reportChurnedAfter: return ("lifecycle: days without contact after which a customer is churned (default 180).", "lifecycle：多少天未联系的客户算作流失（默认 180）。")
        case .reportLoyalPurchases: return ("lifecycle: purchases that make a customer loyal (default 4).", "lifecycle：购买多少次的客户算作忠诚客户（默认 4）。")
        case .reportTypes: return ("visits: the activity types counted (default visit).", "visits：计入的活动类型（默认 visit）。")
        case .reportUtcOffset: return ("Minutes east of UTC of report days (default 480, China).", "报表日期所在时区比 UTC 早的分钟数（默认 480，即中国时间）。")
        case .reportJSON: return ("Print the report document as JSON.", "以 JSON 打印报表文档。")
        case .reportCSV: return ("Print the main table as CSV (for spreadsheets; visits: one row per rep and week).", "以 CSV 打印主表（供电子表格使用；visits：每个销售代表每周一行）。")
        case .reportChart: return ("pipeline, conversion: draw the chart (a funnel; --bars for bars).", "pipeline、conversion：画图（漏斗图；加 --bars 画条形图）。")
        case .reportBars: return ("With --chart: horizontal bars instead of a funnel.", "与 --chart 一起用：画横向条形图而不是漏斗图。")
        case .reportMeasure: return ("With --chart (pipeline): count, amount or weighted_amount.", "与 --chart 一起用（pipeline）：count、amount 或 weighted_amount。")
        case .reportServer: return ("Fetch the server's report (needs a manager's or admin's device).", "获取服务器上的报表（需要经理或管理员的设备）。")
        case .lineProduct: return ("The product's sku, or its id or a unique prefix.", "产品的 sku，或其 id 或唯一前缀。")
        case .lineQuantity: return ("How many.", "数量。")
        case .lineUnitPrice: return ("The unit price (default: the product's list price).", "单价（默认：产品的目录价）。")
        case .lineDiscount: return ("Percent off the line, 0–100.", "该行的折扣百分比，0–100。")
        case .lineTax: return ("Tax percent on the net amount, 0–100 (e.g. 13).", "按净额计的税率百分比，0–100（例如 13）。")
        case .statusStepAt: return ("When it happened (its day is stamped): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "发生时间（记录当天日期）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .csvBOM: return ("CSV: start with a UTF-8 byte order mark, so spreadsheet programs on Chinese Windows read the Chinese text right.", "CSV：以 UTF-8 字节顺序标记（BOM）开头，中文 Windows 上的电子表格程序才能正确读出中文。")
        case .exportDiscussion: return ("Conflicted fields export their displayed value. CSV joins set members with ';'.", "有冲突的字段导出其显示的值。CSV 中集合字段的成员用 ';' 连接。")
        case .exportEntity: return ("The entity, or 'all' (JSON only).", "对象，或 'all'（仅限 JSON）。")
        case .exportFormat: return ("json or csv.", "json 或 csv。")
        case .exportFields: return ("CSV: only these fields, comma-separated (the id column always comes first).", "CSV：只导出这些字段，用逗号分隔（id 列总在最前）。")
        case .importCSVDiscussion: return ("""
            The file must be UTF-8 (save it as "CSV UTF-8" in Excel) with a header row. Columns are mapped to fields by \
            name, also by common English and Chinese headers (客户名称 → name, 电话 → phone, 城市 → city…); --map \
            HEADER=FIELD overrides one column (HEADER= ignores it). Cells are cleaned: spaces trimmed, full-width \
            characters made half-width, phone numbers and e-mails normalised, dates and amounts read in common forms.

            Any entity a rep edits: accounts, contacts, leads, opportunities (商机), activities (拜访 / 跟进记录), \
            tickets (工单) and orders with their lines. Orders come as two files, as Chinese CRMs export them: \
            the orders (订单编号, 客户名称, 订单状态, 下单日期…) and, with --lines, their lines (订单明细: 订单编号, \
            产品编码 or 产品名称, 数量, 单价, 折扣, 税率), each line naming its order by number. A line's account is \
            its order's, its price the price list's when the file has none, and each order's total is the sum of \
            its lines (a total the orders file gives must agree: total_mismatch).

            Every row is checked and reported by line: missing or malformed values, unknown references (an account \
            by id or unique name; a contact among the row's account's contacts, else contact_of_other_account), \
            territories not on the server's list (unknown_territory), and probable duplicates of records already on \
            the device or of earlier rows (same phone, e-mail, or name and city). --on-duplicate skip (default) \
            leaves them out, reject refuses the import, allow imports them anyway. Times without a zone \
            (2026-11-20 09:30) are China time (+08:00).

            Without --dry-run the records are created in one transaction, and only when no row has an error: \
            otherwise nothing changes. Exit status 1 when the file has errors (also with --dry-run).
            """, "文件必须是 UTF-8 编码（在 Excel 中另存为“CSV UTF-8”）并带标题行。各列按名称对应到字段，也认识常见的中英文标题（客户名称 → name，电话 → phone，城市 → city…）；--map HEADER=FIELD 改变一列的对应（HEADER= 表示忽略该列）。单元格会被清理：去掉首尾空格，全角字符转为半角，规范电话号码和邮箱，按常见格式读取日期和金额。\n\n销售代表能修改的对象都可以导入：客户、联系人、线索、商机、活动（拜访 / 跟进记录）、工单，以及订单及其明细行。订单按中国 CRM 导出的方式分两个文件：订单（订单编号、客户名称、订单状态、下单日期…），以及用 --lines 给出的明细行（订单明细：订单编号、产品编码或产品名称、数量、单价、折扣、税率），每行用订单编号指明所属订单。明细行的客户取其订单的客户，文件中没有价格时取价目表价格，每个订单的总额为其明细行之和（订单文件给出的总额必须一致：total_mismatch）。\n\n每一行都会被检查并按行号报告：缺少或格式错误的值、找不到的引用（客户按 id 或唯一名称；联系人须在该行客户的联系人中，否则为 contact_of_other_account）、不在服务器列表中的区域（unknown_territory），以及与设备上已有记录或前面各行可能重复的记录（电话、邮箱相同，或名称和城市相同）。--on-duplicate skip（默认）跳过它们，reject 拒绝整个导入，allow 照样导入。没有时区的时间（2026-11-20 09:30）按中国时间（+08:00）。\n\n不加 --dry-run 时，只有在没有任何一行出错时，记录才会在一个事务中创建；否则不做任何修改。文件有错误时退出状态为 1（加 --dry-run 时也是）。")
        case .importCSVEntity: return ("The entity the rows create: account, contact, lead, …", "各行要新建的对象：account、contact、lead…")
        case .importCSVFile: return ("The CSV file.", "CSV 文件。")
        case .importCSVMappings: return ("Map a column to a field (repeatable); HEADER= ignores the column.", "把一列对应到一个字段（可重复）；HEADER= 表示忽略该列。")
        case .importCSVDefaults: return ("A value for rows that leave a field empty (repeatable), e.g. territory=east.", "字段为空的行使用的值（可重复），例如 territory=east。")
        case .importCSVTags: return ("Tag every imported record (repeatable; accounts).", "给每条导入的记录加标签（可重复；限客户）。")
        case .importCSVDuplicates: return ("skip, reject or allow probable duplicates.", "对可能重复的记录：skip（跳过）、reject（拒绝导入）或 allow（照样导入）。")
        case .importCSVLines: return ("With order: the CSV file of the orders' lines, each naming its order by number.", "导入订单时：订单明细的 CSV 文件，每行用订单编号指明所属订单。")
        case .importCSVDelimiter: return ("The field separator, one character (e.g. ';' or a tab given as $'\\t').", "字段分隔符，一个字符（例如 ';'，或写成 $'\\t' 的制表符）。")
        case .importCSVDryRun: return ("Only check the file and report; change nothing.", "只检查文件并报告，不做任何修改。")
        case .importDiscussion: return ("Records are created as this device's changes and pushed on the next sync. Register values are in wire form, set fields arrays of strings, counters integer totals; a record may reference records listed before it or already on the device.", "记录作为本设备的变更创建，在下次同步时推送。寄存器值用传输格式，集合字段为字符串数组，计数字段为整数总数；记录可以引用排在它前面或已在设备上的记录。")
        case .importFile: return ("The JSON file.", "JSON 文件。")
        case .classifyDiscussion: return ("""
            Tier: accounts ranked by revenue (submitted, confirmed and delivered orders); A while the accounts before \
            them make less than the first cut-off of revenue, B up to the second, C after (--cutoffs 80,95); or by \
            share of accounts with --rule customers (default cut-offs 20,50). Lifecycle: prospect without purchases, \
            churned after --churned-after days without contact, loyal from --loyal-purchases purchases, repeat from 2, \
            first_purchase at 1. Without --apply nothing changes: the accounts that would change are listed.
            """, "等级：客户按收入（已提交、已确认和已交付的订单）排序；排在前面的客户收入合计未达第一个界限时为 A，达到第二个界限前为 B，之后为 C（--cutoffs 80,95）；或用 --rule customers 按客户数占比分级（默认界限 20,50）。生命周期：没有购买的为 prospect，超过 --churned-after 天未联系的为 churned，购买达到 --loyal-purchases 次的为 loyal，2 次起为 repeat，1 次为 first_purchase。不加 --apply 时不做任何修改，只列出会变化的客户。")
        case .classifyApply: return ("Write the suggested tiers and lifecycle stages (one transaction).", "写入建议的等级和生命周期阶段（一个事务）。")
        case .classifyCutoffs: return ("ABC cut-offs in percent.", "ABC 分级界限，单位为百分比。")
        case .classifyRule: return ("revenue (share of revenue, default) or customers (share of accounts).", "revenue（按收入占比，默认）或 customers（按客户数占比）。")
        case .classifyPeriod: return ("Only revenue in this period: YYYY, YYYY-Qn, YYYY-MM, START..END or Nd.", "只计该期间的收入：YYYY、YYYY-Qn、YYYY-MM、START..END 或 Nd。")
        case .classifyCurrency: return ("The revenue currency (default CNY; orders in other currencies are left out).", "收入的币种（默认 CNY；其他币种的订单不计入）。")
        case .classifyAsOf: return ("The day to classify as of (default: today).", "按哪天分类（默认：今天）。")
        case .classifyChurnedAfter: return ("Days without contact after which a customer is churned (default 180).", "多少天未联系的客户算作流失（默认 180）。")
        case .classifyLoyalPurchases: return ("Purchases that make a customer loyal (default 4).", "购买多少次的客户算作忠诚客户（默认 4）。")
        case .classifyAll: return ("List every account, not only those that change.", "列出所有客户，而不只是会变化的客户。")
        case .convertLeadAbstract: return ("Convert a lead: fieldsync lead convert 3f2a --opportunity-title 'Line 2 retrofit' --amount 380000", "转化线索：fieldsync lead convert 3f2a --opportunity-title '二号线改造' --amount 380000")
        case .convertLeadDiscussion: return ("""
            Creates the account (from the lead's company, city, industry, source and territory), a contact (the lead's \
            person, phone and e-mail) and an opportunity at qualification, and marks the lead converted with \
            converted_account and converted_opportunity: one transaction, all or nothing. If an account with the same \
            name and city is already on the device, the conversion stops: convert into it with --account, or pass \
            --new-account.
            """, "创建客户（取自线索的公司、城市、行业、来源和区域）、联系人（线索中的联系人、电话和邮箱）和一个处于 qualification 阶段的商机，并把线索标记为已转化，填写 converted_account 和 converted_opportunity：一个事务，要么全部完成，要么都不做。如果设备上已有同名同城的客户，转化会停止：用 --account 转入该客户，或加上 --new-account。")
        case .convertLeadLead: return ("The lead: an id, a unique prefix or its name.", "线索：id、id 的唯一前缀或名称。")
        case .convertLeadOpportunityTitle: return ("The opportunity's title (default: New business: COMPANY).", "商机标题（默认：New business: 公司名）。")
        case .convertLeadAmount: return ("The opportunity's amount.", "商机金额。")
        case .convertLeadCurrency: return ("The amount's currency (CNY, USD, …).", "金额的币种（CNY、USD…）。")
        case .convertLeadExpectedClose: return ("When the deal should close: YYYY-MM-DD or +Nd.", "预计成交日期：YYYY-MM-DD 或 +Nd。")
        case .convertLeadAccount: return ("Convert into this existing account (an id, a unique prefix or its name) instead of creating one.", "转入这个已有客户（id、id 的唯一前缀或名称），而不是新建客户。")
        case .convertLeadNewAccount: return ("Create a new account even if one with the same name and city exists.", "即使已有同名同城的客户，也新建客户。")
        case .convertLeadAt: return ("When it was converted (the opportunity is created on its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "转化时间（商机在当天创建）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .openTicketAbstract: return ("Open a complaint or service ticket (stamps the opening time): fieldsync ticket open --account 3f2a --title '发票错误' --severity high", "新建投诉或服务工单（记录受理时间）：fieldsync ticket open --account 3f2a --title '发票错误' --severity high")
        case .openTicketContact: return ("The contact who raised it (must belong to the account).", "提出问题的联系人（必须属于该客户）。")
        case .openTicketTitle: return ("A short title.", "简短的标题。")
        case .openTicketCategory: return ("complaint, service_request or inquiry.", "complaint、service_request 或 inquiry。")
        case .openTicketSeverity: return ("low, medium, high or critical.", "low、medium、high 或 critical。")
        case .openTicketDescription: return ("What the customer reported.", "客户反映的问题。")
        case .openTicketAssignee: return ("Who handles it (default: the enrolled user).", "处理人（默认：已注册的用户）。")
        case .openTicketAt: return ("When the customer raised it (the SLA counts from it): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "客户提出问题的时间（SLA 从此时开始计算）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .createOrderAbstract: return ("Start a draft order for an account: fieldsync order create --account 3f2a --opportunity 9c1e", "为客户新建草稿订单：fieldsync order create --account 3f2a --opportunity 9c1e")
        case .createOrderDiscussion: return ("Then add lines with `order add-line` and send it with `order submit`.", "然后用 `order add-line` 添加明细行，再用 `order submit` 提交。")
        case .createOrderOpportunity: return ("The opportunity the order closes (must belong to the account).", "订单对应成交的商机（必须属于该客户）。")
        case .createOrderNumber: return ("The order number (e.g. SO-2026-0142).", "订单编号（例如 SO-2026-0142）。")
        case .createOrderCurrency: return ("The currency (default: the opportunity's).", "币种（默认：商机的币种）。")
        case .createOrderAt: return ("When the customer ordered (sets ordered_on to its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "客户下单时间（ordered_on 设为当天）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .submitOrderAbstract: return ("Submit a draft order: its lines are checked, the total recomputed from them, the status set to submitted.", "提交草稿订单：检查明细行，按明细行重新计算总额，状态改为 submitted。")
        case .submitOrderDiscussion: return ("Refused when the order has no lines, a line has no quantity or price, or two people changed a line's quantity or price concurrently (resolve that conflict first).", "以下情况会被拒绝：订单没有明细行，某行没有数量或价格，或两个人并发修改了某行的数量或价格（请先处理该冲突）。")
        case .submitOrderAt: return ("When it was submitted (ordered_on is its day unless the order has one): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "提交时间（订单没有 ordered_on 时以当天为准）：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .orderStepDiscussion: return ("draft → submitted → confirmed → delivered; an order not yet delivered may be cancelled. Other moves are refused (invalid_transition), on this device and by the server.", "draft → submitted → confirmed → delivered；尚未交付的订单可以取消。其他状态变化会被拒绝（invalid_transition），本设备和服务器都会拒绝。")
        case .confirmOrderAbstract: return ("Confirm a submitted order (stamps confirmed_on).", "确认已提交的订单（记录 confirmed_on）。")
        case .deliverOrderAbstract: return ("Mark a confirmed order delivered (stamps delivered_on); final.", "把已确认的订单标记为已交付（记录 delivered_on）；不可撤销。")
        case .cancelOrderAbstract: return ("Cancel an order not yet delivered (stamps cancelled_on); add --reason.", "取消尚未交付的订单（记录 cancelled_on）；加上 --reason。")
        case .recordSurveyAbstract: return ("Record a survey answer: fieldsync survey record --account 3f2a --kind nps --score 9 --channel visit", "登记一份调查答卷：fieldsync survey record --account 3f2a --kind nps --score 9 --channel visit")
        case .recordSurveyContact: return ("The contact who answered (must belong to the account).", "回答问卷的联系人（必须属于该客户）。")
        case .recordSurveyKind: return ("csat (1–5) or nps (0–10).", "csat（1–5）或 nps（0–10）。")
        case .recordSurveyScore: return ("The score.", "分数。")
        case .recordSurveyComment: return ("What the customer said.", "客户的意见。")
        case .recordSurveyChannel: return ("questionnaire, phone, online or visit.", "questionnaire、phone、online 或 visit。")
        case .recordSurveyAt: return ("When it was answered: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", "答卷时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。")
        case .progress: return (
            "Show the progress on stderr even when it is not a terminal, a line per 500 records written (on a terminal it is always shown, in place); stdout and --json stay the same.",
            "即使 stderr 不是终端也显示进度，每写入 500 条记录一行（在终端上总会原地显示）；stdout 和 --json 的输出不变。"
        )
        case .paymentTerms: return ("The payment terms: {terms}.", "付款条件：{terms}。")
        case .issueInvoiceDiscussion: return (
            "The amount is the order's total from its lines; the due day is the invoice day plus the payment terms' days (付款条件: {terms}; default the account's payment_terms, else net_30). An order may be invoiced in parts (--amount); its live invoices add up to at most its total.",
            "金额为订单按明细行计算的总额；到期日为开票日加上付款条件的天数（付款条件：{terms}；默认取客户的 payment_terms，否则为 net_30）。订单可以分几次开票（--amount）；有效发票的合计不超过订单总额。"
        )
        case .reportDiscussion: return (
            "Reports:{reports}\n\nOptions a report does not read are refused. Every report takes --as-of and --utc-offset; {parameters}.\n\nA device report counts the records it read that have local edits not synced yet and says so. --server asks the server instead (a manager's or admin's device): the same report over the server's records.",
            "报表：{reports}\n\n报表不使用的选项会被拒绝。每个报表都接受 --as-of 和 --utc-offset；{parameters}。\n\n设备上的报表会说明它读到的记录中有多少带有尚未同步的本地修改。--server 改为向服务器请求同一报表，基于服务器上的记录（需要经理或管理员的设备）。"
        )
        case .reportTakes: return ("{report} takes {options}", "{report} 接受 {options}")
        case .opportunityStageDiscussion: return (
            "qualification → needs_analysis → proposal → negotiation → won / lost. Only allowed transitions are accepted. won and lost are final unless --reopen, which moves the deal back to negotiation. lost needs --reason.\n\nA move sets the deal's win probability to the stage's unless the edit gives one (the pipeline report weights amounts by it), from the company's table; the defaults: {defaults}. An admin changes the table for every device with target records on the server (fieldsync-server import FILE), one per stage: {example} (value in percent, no rep or period); each device takes it at its next sync.",
            "qualification → needs_analysis → proposal → negotiation → won / lost。只接受允许的阶段变化。won 和 lost 是最终阶段，除非用 --reopen 把商机退回 negotiation。lost 需要 --reason。\n\n推进阶段时，商机的赢单概率设为该阶段的概率（pipeline 报表按它给金额加权），除非这次修改自己给出了概率；概率取自公司的概率表，默认值：{defaults}。管理员在服务器上用 target 记录为所有设备修改这张表（fieldsync-server import FILE），每个阶段一条：{example}（value 为百分比，不指定销售代表和期间）；各设备在下次同步时采用。"
        )
        }
    }

    /// The payment terms a command takes, as typed.
    static var paymentTermsList: String { PaymentTerms.allCases.map(\.rawValue).joined(separator: ", ") }
}

"""The agreement templates a fresh installation ships (version 2026-10): the portal's own
summary of the Microsoft Partner Agreement, per program, in the four languages the portal
speaks. Migration 0004 ships them (``ship``); seed_demo asks for the same, which changes
nothing on a migrated database. Staff publish later versions in the admin: a change here
would not reach a database that already ran the migration."""

from django.utils import timezone

VERSION = "2026-10"

INDIRECT_RESELLER = "indirect_reseller"
DIRECT_BILL = "direct_bill"


def _body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# The paragraphs both programs' agreements share, per language.
_INTRO_EN = (
    "This is the portal's summary of the Microsoft Partner Agreement for the Cloud Solution "
    "Provider program. It binds the company on whose behalf its global admin accepts it (the "
    "partner)."
)
_AUTHORITY_EN = (
    "2. Authority. The global admin who accepts confirms that they may sign legal agreements for the "
    "partner. The acceptance records the version, the region, the time, the user and the primary "
    "contact on record."
)
_INTRO_ZH_HANT = (
    "本文為入口網站對雲端解決方案提供者計畫之 Microsoft 合作夥伴合約所作之摘要。經全域系統管理員代表"
    "公司接受後，本合約即拘束該公司（合作夥伴）。"
)
_AUTHORITY_ZH_HANT = (
    "2. 授權。接受本合約之全域系統管理員確認其有權代表合作夥伴簽署具法律效力之合約。接受紀錄包括版本、"
    "區域、時間、使用者及當時登記之主要連絡人。"
)
_INTRO_ZH_HANS = (
    "本文是门户对云解决方案提供商计划的 Microsoft 合作伙伴协议所作的摘要。经全局管理员代表公司接受后，"
    "本协议即对该公司（合作伙伴）具有约束力。"
)
_AUTHORITY_ZH_HANS = (
    "2. 授权。接受本协议的全局管理员确认其有权代表合作伙伴签署具有法律效力的协议。接受记录包括版本、"
    "区域、时间、用户以及当时登记的主要联系人。"
)
_INTRO_RU = (
    "Это изложение Соглашения с партнером Майкрософт для программы Cloud Solution Provider, "
    "подготовленное порталом. Соглашение обязывает компанию, от имени которой его принимает "
    "глобальный администратор (партнера)."
)
_AUTHORITY_RU = (
    "2. Полномочия. Принимающий соглашение глобальный администратор подтверждает, что вправе "
    "подписывать юридические соглашения от имени партнера. При принятии фиксируются версия, регион, "
    "время, пользователь и указанное в данных основное контактное лицо."
)

# (program, language) -> (name, body)
TEMPLATES = {
    # --- Indirect reseller -------------------------------------------------------------------
    (INDIRECT_RESELLER, "en"): (
        "Microsoft Partner Agreement",
        _body(
            _INTRO_EN,
            "1. Parties and scope. The agreement is between Microsoft and the partner. It governs how the "
            "partner takes part in the Cloud Solution Provider program as an indirect reseller: the partner "
            "sells Microsoft online services to its customers through an authorized indirect provider, which "
            "bills them and pays Microsoft.",
            _AUTHORITY_EN,
            "3. The partner's obligations. The partner keeps its legal business profile, primary contact, "
            "support profile and bank information current; gives its customers first-level support, itself "
            "or with its indirect provider; and complies with applicable laws, including anti-corruption, "
            "sanctions and export laws.",
            "4. Customers. The partner acts as a reseller of record only for customers that authorized it, "
            "and makes sure that each customer accepts the Microsoft Customer Agreement before it uses the "
            "services. Administrator access to a customer's tenant, delegated or granular, is used only to "
            "provide the services the customer asked for, with the least privilege needed, and is given up "
            "when it is no longer needed.",
            "5. Data protection and security. The partner processes customer data only on the customer's "
            "documented instructions, protects it with appropriate technical and organizational measures, "
            "requires multifactor authentication of every user who works in customers' tenants, and reports "
            "a security incident to Microsoft and to the customers concerned without undue delay.",
            "6. Orders and prices. The partner orders through its indirect provider. Prices, billing and "
            "payment terms between the partner and its indirect provider are theirs to agree; Microsoft is "
            "not a party to them.",
            "7. Term and termination. The agreement takes effect on acceptance and continues until either "
            "party ends it with 30 days' written notice, or at once for a material breach. When it ends, the "
            "partner's enrollment in the program ends, and its customers move to another partner or to "
            "Microsoft, as each customer chooses.",
            "8. New versions. Microsoft may publish a new version of this agreement. The partner accepts it "
            "to go on transacting in the program; until then, the version it accepted applies.",
        ),
    ),
    (INDIRECT_RESELLER, "zh-hant"): (
        "Microsoft 合作夥伴合約",
        _body(
            _INTRO_ZH_HANT,
            "1. 當事人與範圍。本合約由 Microsoft 與合作夥伴簽訂，規範合作夥伴以間接經銷商身分參與雲端解決方案"
            "提供者計畫：合作夥伴透過經授權之間接提供者向其客戶銷售 Microsoft 線上服務，由間接提供者向客戶計費"
            "並支付 Microsoft。",
            _AUTHORITY_ZH_HANT,
            "3. 合作夥伴之義務。合作夥伴應隨時更新其法定商業設定檔、主要連絡人、支援設定檔及銀行資訊；自行或與"
            "其間接提供者共同為客戶提供第一線支援；並遵守適用法律，包括反貪腐、制裁及出口管制法規。",
            "4. 客戶。合作夥伴僅得為已授權之客戶擔任記錄經銷商，並應確保每一客戶於使用服務前接受 Microsoft "
            "客戶合約。對客戶租用戶之系統管理員存取權（委派或細微委派）僅得用於提供客戶所要求之服務，以所需之"
            "最低權限為限，並於不再需要時放棄。",
            "5. 資料保護與安全性。合作夥伴僅得依客戶書面指示處理客戶資料，以適當之技術及組織措施加以保護，要求"
            "每一位於客戶租用戶中工作之使用者使用多重要素驗證，並於發生資安事件時，毫不延遲地通知 Microsoft "
            "及相關客戶。",
            "6. 訂購與價格。合作夥伴透過其間接提供者訂購。合作夥伴與間接提供者之間之價格、計費及付款條件由雙方"
            "自行約定；Microsoft 並非該等約定之當事人。",
            "7. 期間與終止。本合約自接受時生效，並持續有效，直至任一方以 30 天書面通知終止，或因重大違約而立即"
            "終止。本合約終止時，合作夥伴於本計畫之註冊隨之終止，其客戶依各自選擇移轉至其他合作夥伴或 "
            "Microsoft。",
            "8. 新版本。Microsoft 得發布本合約之新版本。合作夥伴須接受新版本方得繼續於本計畫中交易；在此之前，"
            "適用其已接受之版本。",
        ),
    ),
    (INDIRECT_RESELLER, "zh-hans"): (
        "Microsoft 合作伙伴协议",
        _body(
            _INTRO_ZH_HANS,
            "1. 协议双方与范围。本协议由 Microsoft 与合作伙伴签订，规范合作伙伴以间接经销商身份参与云解决方案"
            "提供商计划：合作伙伴通过经授权的间接提供商向其客户销售 Microsoft 联机服务，由间接提供商向客户计费"
            "并向 Microsoft 付款。",
            _AUTHORITY_ZH_HANS,
            "3. 合作伙伴的义务。合作伙伴应及时更新其法定业务资料、主要联系人、支持资料和银行信息；自行或与其"
            "间接提供商共同为客户提供一线支持；并遵守适用法律，包括反腐败、制裁和出口管制法规。",
            "4. 客户。合作伙伴仅可为已授权的客户担任记录经销商，并应确保每个客户在使用服务前接受 Microsoft "
            "客户协议。对客户租户的管理员访问权限（委派或精细委派）仅可用于提供客户所要求的服务，以所需的最低"
            "权限为限，并在不再需要时放弃。",
            "5. 数据保护与安全。合作伙伴仅可按照客户的书面指示处理客户数据，采取适当的技术和组织措施加以保护，"
            "要求每位在客户租户中工作的用户使用多重身份验证，并在发生安全事件时及时通知 Microsoft 和相关客户。",
            "6. 订购与价格。合作伙伴通过其间接提供商订购。合作伙伴与间接提供商之间的价格、计费和付款条款由双方"
            "自行约定；Microsoft 不是这些约定的一方。",
            "7. 期限与终止。本协议自接受之日起生效，并持续有效，直至任何一方提前 30 天书面通知终止，或因重大"
            "违约而立即终止。本协议终止时，合作伙伴在本计划中的注册随之终止，其客户按各自的选择转至其他合作伙伴"
            "或 Microsoft。",
            "8. 新版本。Microsoft 可以发布本协议的新版本。合作伙伴须接受新版本方可继续在本计划中交易；在此之前，"
            "适用其已接受的版本。",
        ),
    ),
    (INDIRECT_RESELLER, "ru"): (
        "Соглашение с партнером Майкрософт",
        _body(
            _INTRO_RU,
            "1. Стороны и предмет. Соглашение заключается между Майкрософт и партнером. Оно определяет, как "
            "партнер участвует в программе Cloud Solution Provider в качестве непрямого торгового посредника: "
            "партнер продает своим заказчикам веб-службы Майкрософт через авторизованного непрямого "
            "поставщика, который выставляет заказчикам счета и расплачивается с Майкрософт.",
            _AUTHORITY_RU,
            "3. Обязанности партнера. Партнер поддерживает в актуальном состоянии юридический профиль "
            "организации, данные основного контактного лица, профиль поддержки и банковские реквизиты; "
            "оказывает заказчикам поддержку первого уровня самостоятельно или вместе с непрямым поставщиком; "
            "соблюдает применимое законодательство, в том числе антикоррупционное, санкционное и экспортное.",
            "4. Заказчики. Партнер выступает торговым посредником только для заказчиков, которые его "
            "авторизовали, и обеспечивает, чтобы каждый заказчик принял Соглашение с заказчиком Майкрософт "
            "(Microsoft Customer Agreement) до начала использования служб. Административный доступ к клиенту "
            "заказчика, делегированный или детализированный, используется только для оказания запрошенных "
            "заказчиком услуг, с минимально необходимыми правами, и прекращается, когда он больше не нужен.",
            "5. Защита данных и безопасность. Партнер обрабатывает данные заказчика только по его "
            "документированным указаниям, защищает их надлежащими техническими и организационными мерами, "
            "требует многофакторную проверку подлинности от каждого пользователя, работающего в клиентах "
            "заказчиков, и без неоправданной задержки сообщает об инцидентах безопасности Майкрософт и "
            "затронутым заказчикам.",
            "6. Заказы и цены. Партнер заказывает службы через своего непрямого поставщика. Цены, порядок "
            "выставления счетов и условия оплаты между партнером и непрямым поставщиком они согласуют между "
            "собой; Майкрософт не является их стороной.",
            "7. Срок и расторжение. Соглашение вступает в силу с момента принятия и действует, пока одна из "
            "сторон не расторгнет его письменным уведомлением за 30 дней, либо немедленно при существенном "
            "нарушении. С прекращением соглашения прекращается и регистрация партнера в программе, а его "
            "заказчики переходят к другому партнеру или к Майкрософт по собственному выбору.",
            "8. Новые версии. Майкрософт может опубликовать новую версию соглашения. Чтобы продолжать "
            "работать в программе, партнер принимает ее; до этого действует принятая им версия.",
        ),
    ),
    # --- Direct bill ---------------------------------------------------------------------------
    (DIRECT_BILL, "en"): (
        "Microsoft Partner Agreement",
        _body(
            _INTRO_EN,
            "1. Parties and scope. The agreement is between Microsoft and the partner. It governs how the "
            "partner takes part in the Cloud Solution Provider program as a direct-bill partner: the partner "
            "buys Microsoft online services from Microsoft and bills its customers itself.",
            _AUTHORITY_EN,
            "3. Minimum requirements. For as long as it bills directly, the partner keeps an active MPN ID, "
            "the support infrastructure its customers need (including a paid support plan with Microsoft for "
            "escalations), and the creditworthiness and payment method that Microsoft's credit check "
            "approved.",
            "4. The partner's obligations. The partner keeps its legal business profile, primary contact, "
            "support profile and bank information current; gives its customers first-level and second-level "
            "support; and complies with applicable laws, including anti-corruption, sanctions and export "
            "laws.",
            "5. Customers. The partner acts as a reseller of record only for customers that authorized it, "
            "and makes sure that each customer accepts the Microsoft Customer Agreement before it uses the "
            "services. Administrator access to a customer's tenant, delegated or granular, is used only to "
            "provide the services the customer asked for, with the least privilege needed, and is given up "
            "when it is no longer needed.",
            "6. Billing and payment. Microsoft invoices the partner every month for the services its "
            "customers use, in the currency of the partner's market. The partner pays each invoice within 60 "
            "days of its date, whether or not its customers have paid it; an overdue amount may suspend new "
            "orders.",
            "7. Data protection and security. The partner processes customer data only on the customer's "
            "documented instructions, protects it with appropriate technical and organizational measures, "
            "requires multifactor authentication of every user who works in customers' tenants, and reports "
            "a security incident to Microsoft and to the customers concerned without undue delay.",
            "8. Term and termination. The agreement takes effect on acceptance and continues until either "
            "party ends it with 30 days' written notice, or at once for a material breach or an unpaid "
            "invoice. When it ends, the partner's enrollment in the program ends, and its customers move to "
            "another partner or to Microsoft, as each customer chooses.",
            "9. New versions. Microsoft may publish a new version of this agreement. The partner accepts it "
            "to go on transacting in the program; until then, the version it accepted applies.",
        ),
    ),
    (DIRECT_BILL, "zh-hant"): (
        "Microsoft 合作夥伴合約",
        _body(
            _INTRO_ZH_HANT,
            "1. 當事人與範圍。本合約由 Microsoft 與合作夥伴簽訂，規範合作夥伴以直接計費合作夥伴身分參與雲端"
            "解決方案提供者計畫：合作夥伴直接向 Microsoft 購買 Microsoft 線上服務，並自行向其客戶計費。",
            _AUTHORITY_ZH_HANT,
            "3. 最低要求。於直接計費期間，合作夥伴應維持有效之 MPN ID、客戶所需之支援基礎架構（包括與 "
            "Microsoft 簽訂之付費支援方案，以供問題呈報），以及經 Microsoft 信用審查核准之信用狀況與付款方式。",
            "4. 合作夥伴之義務。合作夥伴應隨時更新其法定商業設定檔、主要連絡人、支援設定檔及銀行資訊；為其客戶"
            "提供第一線及第二線支援；並遵守適用法律，包括反貪腐、制裁及出口管制法規。",
            "5. 客戶。合作夥伴僅得為已授權之客戶擔任記錄經銷商，並應確保每一客戶於使用服務前接受 Microsoft "
            "客戶合約。對客戶租用戶之系統管理員存取權（委派或細微委派）僅得用於提供客戶所要求之服務，以所需之"
            "最低權限為限，並於不再需要時放棄。",
            "6. 計費與付款。Microsoft 每月就合作夥伴之客戶所使用之服務，以合作夥伴所屬市場之貨幣向合作夥伴開立"
            "發票。無論客戶是否已付款，合作夥伴均應於發票日起 60 天內付清；逾期未付時，得暫停新訂單。",
            "7. 資料保護與安全性。合作夥伴僅得依客戶書面指示處理客戶資料，以適當之技術及組織措施加以保護，要求"
            "每一位於客戶租用戶中工作之使用者使用多重要素驗證，並於發生資安事件時，毫不延遲地通知 Microsoft "
            "及相關客戶。",
            "8. 期間與終止。本合約自接受時生效，並持續有效，直至任一方以 30 天書面通知終止，或因重大違約或發票"
            "未付而立即終止。本合約終止時，合作夥伴於本計畫之註冊隨之終止，其客戶依各自選擇移轉至其他合作夥伴"
            "或 Microsoft。",
            "9. 新版本。Microsoft 得發布本合約之新版本。合作夥伴須接受新版本方得繼續於本計畫中交易；在此之前，"
            "適用其已接受之版本。",
        ),
    ),
    (DIRECT_BILL, "zh-hans"): (
        "Microsoft 合作伙伴协议",
        _body(
            _INTRO_ZH_HANS,
            "1. 协议双方与范围。本协议由 Microsoft 与合作伙伴签订，规范合作伙伴以直接计费合作伙伴身份参与云"
            "解决方案提供商计划：合作伙伴直接向 Microsoft 购买 Microsoft 联机服务，并自行向其客户计费。",
            _AUTHORITY_ZH_HANS,
            "3. 最低要求。在直接计费期间，合作伙伴应保持有效的 MPN ID、客户所需的支持基础结构（包括与 "
            "Microsoft 签订的付费支持计划，用于问题升级），以及经 Microsoft 信用审查批准的信用状况和付款方式。",
            "4. 合作伙伴的义务。合作伙伴应及时更新其法定业务资料、主要联系人、支持资料和银行信息；为其客户提供"
            "一线和二线支持；并遵守适用法律，包括反腐败、制裁和出口管制法规。",
            "5. 客户。合作伙伴仅可为已授权的客户担任记录经销商，并应确保每个客户在使用服务前接受 Microsoft "
            "客户协议。对客户租户的管理员访问权限（委派或精细委派）仅可用于提供客户所要求的服务，以所需的最低"
            "权限为限，并在不再需要时放弃。",
            "6. 计费与付款。Microsoft 每月就合作伙伴的客户所使用的服务，以合作伙伴所在市场的货币向合作伙伴开具"
            "发票。无论客户是否已付款，合作伙伴均应在发票日期起 60 天内付清；逾期未付的，可暂停新订单。",
            "7. 数据保护与安全。合作伙伴仅可按照客户的书面指示处理客户数据，采取适当的技术和组织措施加以保护，"
            "要求每位在客户租户中工作的用户使用多重身份验证，并在发生安全事件时及时通知 Microsoft 和相关客户。",
            "8. 期限与终止。本协议自接受之日起生效，并持续有效，直至任何一方提前 30 天书面通知终止，或因重大"
            "违约或发票未付而立即终止。本协议终止时，合作伙伴在本计划中的注册随之终止，其客户按各自的选择转至"
            "其他合作伙伴或 Microsoft。",
            "9. 新版本。Microsoft 可以发布本协议的新版本。合作伙伴须接受新版本方可继续在本计划中交易；在此之前，"
            "适用其已接受的版本。",
        ),
    ),
    (DIRECT_BILL, "ru"): (
        "Соглашение с партнером Майкрософт",
        _body(
            _INTRO_RU,
            "1. Стороны и предмет. Соглашение заключается между Майкрософт и партнером. Оно определяет, как "
            "партнер участвует в программе Cloud Solution Provider в качестве партнера с прямым выставлением "
            "счетов: партнер покупает веб-службы Майкрософт непосредственно у Майкрософт и сам выставляет "
            "счета своим заказчикам.",
            _AUTHORITY_RU,
            "3. Минимальные требования. Пока партнер выставляет счета напрямую, он сохраняет активный "
            "MPN ID, необходимую заказчикам инфраструктуру поддержки (в том числе платный план поддержки "
            "Майкрософт для эскалаций), а также кредитоспособность и способ оплаты, одобренные проверкой "
            "кредитоспособности Майкрософт.",
            "4. Обязанности партнера. Партнер поддерживает в актуальном состоянии юридический профиль "
            "организации, данные основного контактного лица, профиль поддержки и банковские реквизиты; "
            "оказывает заказчикам поддержку первого и второго уровня; соблюдает применимое законодательство, "
            "в том числе антикоррупционное, санкционное и экспортное.",
            "5. Заказчики. Партнер выступает торговым посредником только для заказчиков, которые его "
            "авторизовали, и обеспечивает, чтобы каждый заказчик принял Соглашение с заказчиком Майкрософт "
            "(Microsoft Customer Agreement) до начала использования служб. Административный доступ к клиенту "
            "заказчика, делегированный или детализированный, используется только для оказания запрошенных "
            "заказчиком услуг, с минимально необходимыми правами, и прекращается, когда он больше не нужен.",
            "6. Счета и оплата. Майкрософт ежемесячно выставляет партнеру счет за службы, которыми пользуются "
            "его заказчики, в валюте рынка партнера. Партнер оплачивает каждый счет в течение 60 дней с даты "
            "его выставления независимо от того, расплатились ли с ним заказчики; при просрочке прием новых "
            "заказов может быть приостановлен.",
            "7. Защита данных и безопасность. Партнер обрабатывает данные заказчика только по его "
            "документированным указаниям, защищает их надлежащими техническими и организационными мерами, "
            "требует многофакторную проверку подлинности от каждого пользователя, работающего в клиентах "
            "заказчиков, и без неоправданной задержки сообщает об инцидентах безопасности Майкрософт и "
            "затронутым заказчикам.",
            "8. Срок и расторжение. Соглашение вступает в силу с момента принятия и действует, пока одна из "
            "сторон не расторгнет его письменным уведомлением за 30 дней, либо немедленно при существенном "
            "нарушении или неоплате счета. С прекращением соглашения прекращается и регистрация партнера в "
            "программе, а его заказчики переходят к другому партнеру или к Майкрософт по собственному выбору.",
            "9. Новые версии. Майкрософт может опубликовать новую версию соглашения. Чтобы продолжать "
            "работать в программе, партнер принимает ее; до этого действует принятая им версия.",
        ),
    ),
}


def ship(AgreementTemplate) -> int:
    """Create the shipped templates that are missing (``AgreementTemplate`` is the model, or
    its historical version in a migration); return how many were created.

    A version already there (published by staff, or by an older seed_demo) is left as it is,
    and a shipped template is current only where its program and language have no current
    one: staff's choice stands."""
    created, now = 0, timezone.now()
    for (program, language), (name, body) in TEMPLATES.items():
        versions = AgreementTemplate.objects.filter(program=program, language=language)
        if versions.filter(version=VERSION).exists():
            continue
        AgreementTemplate.objects.create(
            program=program,
            version=VERSION,
            language=language,
            name=name,
            body=body,
            is_current=not versions.filter(is_current=True).exists(),
            published_at=now,
        )
        created += 1
    return created


def unship(AgreementTemplate) -> None:
    """Remove the shipped templates that nobody accepted (an accepted one is a record)."""
    for (program, language), (_name, body) in TEMPLATES.items():
        AgreementTemplate.objects.filter(
            program=program, language=language, version=VERSION, body=body, acceptances__isnull=True
        ).delete()

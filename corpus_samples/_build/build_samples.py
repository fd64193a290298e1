"""Build the generated files of the さくら台市 sample corpus.

Run from anywhere: ``python corpus_samples/_build/build_samples.py [OUT_DIR]``
(OUT_DIR defaults to ``corpus_samples/``, the folder above this script).

Writes, relative to OUT_DIR:

- ``reiki/keiyaku_kisoku.txt``        さくら台市契約規則 — CP932 with CRLF line ends, as a Windows
                                       例規 system exports it (holds ①, ㈱ and 髙)
- ``reiki/sogyo_shien_yoko.txt``       さくら台市創業支援補助金交付要綱 — UTF-8 with a BOM
- ``reiki/bunsho_toriatsukai_kisoku.html`` さくら台市文書取扱規則 — 例規集 ``reiki_honbun`` page
                                       with its 体系情報/沿革 sidebar
- ``reiki/shimin_noen_jorei.xml``      さくら台市市民農園条例 — law-XML shape (Law/LawBody/MainProvision)
- ``reiki/chomon_kisoku.docx``         さくら台市聴聞等の手続に関する規則 — with 別記様式第1号 in a table
- ``yoshiki/hojokin_kofu_shinseisho.docx``  様式第1号 of 補助金等交付規則
- ``yoshiki/sogyo_seikyusho.docx``     様式第5号 of 創業支援補助金交付要綱 (㊞ in a cell, 受付印 text box)
- ``yoshiki/bousai_shizai.xlsx``       様式第1号 and 様式第3号 of 自主防災組織資機材貸与要綱

The plain UTF-8 .txt regulations in ``reiki/`` are edited by hand, not built here.
Only python-docx, openpyxl and lxml are used so that the build runs in the project's venv.
"""

from __future__ import annotations

import datetime as dt
import html
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Mm, Pt
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

# Fixed document metadata so that a rebuild changes nothing a reader can see.
BUILD_TIME = dt.datetime(2026, 4, 1, 9, 0, 0)
AUTHOR = "さくら台市総務部総務課法規係"

# ---------------------------------------------------------------------------
# さくら台市契約規則 (CP932)
# ---------------------------------------------------------------------------
KEIYAKU_KISOKU = """\
○さくら台市契約規則
平成5年3月31日
規則第10号
(趣旨)
第1条　この規則は、法令その他別に定めるもののほか、市の契約に関し必要な事項を定めるものとする。
(定義)
第2条　この規則において「法」とは地方自治法(昭和22年法律第67号)を、「令」とは地方自治法施行令(昭和22年政令第16号)をいう。
(一般競争入札の参加資格)
第3条　市長は、令第167条の5第1項の規定により一般競争入札に参加する者に必要な資格を定めたときは、その資格を公示するものとする。
(入札参加資格審査の申請)
第4条　一般競争入札に参加しようとする者は、入札参加資格審査申請書に次に掲げる書類を添えて、市長に提出しなければならない。
(1)　登記事項証明書(法人に限る。)
(2)　印鑑登録証明書(法人にあっては、登記所が発行する代表者の印鑑証明書)
(3)　市税の納税証明書
(4)　使用印鑑届(別記様式第1号)
2　前項第4号の使用印鑑届を提出した者は、入札書、見積書、契約書その他市に提出する書類には、当該届出に係る印鑑を使用しなければならない。
(見積書の徴取)
第5条　随意契約によろうとするときは、なるべく2人以上の者から見積書を徴さなければならない。
2　前項の見積書を提出する者が第4条第1項の規定により印鑑を提出していない場合は、見積書に印鑑登録証明書を添付させるものとする。
(入札の方法)
第6条　入札者は、入札書(別記様式第2号)に記名押印し、封かんの上、入札執行者に提出しなければならない。
2　入札者は、代理人をして入札させるときは、入札前に委任状を提出しなければならない。
(入札書の保管)
第7条　入札執行者は、提出された入札書を入札箱に投入させ、開札の時まで当該入札箱を封印して保管しなければならない。
(契約書の作成)
第8条　契約を締結しようとするときは、次に掲げる事項を記載した契約書を作成しなければならない。
(1)　契約の目的
(2)　契約金額
(3)　履行期限
(4)　契約保証金に関する事項
(5)　前各号に掲げるもののほか、必要な事項
2　前項の契約書には、法第234条第5項の規定により、市長及び契約の相手方が記名押印しなければならない。ただし、電磁的記録により契約書を作成する場合は、この限りでない。
3　契約書が2枚以上にわたるときは、各葉に契印しなければならない。
4　契約の相手方は、その負担において、契約書に印紙税法(昭和42年法律第23号)の定めるところにより収入印紙を貼付しなければならない。
(請書)
第9条　契約金額が50万円未満の契約で契約書の作成を省略するときは、契約の相手方から請書を徴するものとする。この場合において、請書への押印を要しない。
附　則
この規則は、平成5年4月1日から施行する。
別記様式第1号(第4条関係)
使用印鑑届
年　　月　　日
さくら台市長　様
所在地
商号又は名称
代表者職氏名　　　　　　　　　　　　実印
次の印鑑を、入札、見積り、契約の締結並びに代金の請求及び受領のために使用したいので届け出ます。
使用印鑑
(記入例)
所在地　さくら台市中央2丁目3番4号
商号又は名称　㈱さくら台建設
代表者職氏名　代表取締役　髙橋　一郎
別記様式第2号(第6条関係)
入札書
件名
入札金額　　　　　　　　　　　　　円
入札方法　本人・代理人
さくら台市契約規則を承知の上、上記のとおり入札します。
年　　月　　日
さくら台市長　様
住所
商号又は名称
代表者氏名　　　　　　　　　　　　　　印
記入上の注意
①　金額は、アラビア数字で記入し、その頭部に「￥」を付すこと。
②　金額以外の記載事項を訂正したときは、訂正箇所に訂正印を押すこと。
③　入札方法の欄は、該当するものに○印を付けること。
"""

# ---------------------------------------------------------------------------
# さくら台市創業支援補助金交付要綱 (UTF-8 with BOM)
# ---------------------------------------------------------------------------
SOGYO_YOKO = """\
○さくら台市創業支援補助金交付要綱
令和4年3月30日
告示第30号
(趣旨)
第1条　この要綱は、市内における創業を促進し、地域経済の活性化を図るため、市内で新たに事業を開始する者に対し、予算の範囲内において創業支援補助金(以下「補助金」という。)を交付することについて、必要な事項を定めるものとする。
(定義)
第2条　この要綱において「創業者」とは、市内で新たに事業を開始した日から起算して1年を経過していない個人又は法人をいう。
(補助対象者)
第3条　補助金の交付の対象となる者は、創業者であって、次の各号のいずれにも該当するものとする。
(1)　市内に住所又は主たる事務所を有すること。
(2)　市税を滞納していないこと。
(3)　さくら台市商工会の経営指導を受けていること。
(補助金の額)
第4条　補助金の額は、店舗の改装費、設備費及び広告宣伝費の合計額の2分の1以内の額とし、50万円を限度とする。
(交付の申請)
第5条　補助金の交付を受けようとする者は、申請者が署名し、又は記名押印した補助金交付申請書(様式第1号)に、次に掲げる書類を添えて、市長に提出しなければならない。
(1)　事業計画書(様式第2号)
(2)　住民票の写し又は登記事項証明書
(3)　市税の納税証明書
(交付の決定)
第6条　市長は、前条の規定による申請があったときは、さくら台市創業支援審査会の意見を聴いて交付の可否を決定し、補助金交付決定通知書(様式第3号)により申請者に通知するものとする。
2　前項の審査に当たっては、店舗の外観及び看板が周辺の商店街の印象を著しく損なうものでないことに留意するものとする。
(実績報告)
第7条　補助金の交付の決定を受けた者(以下「補助事業者」という。)は、補助事業が完了したときは、実績報告書(様式第4号)を市長に提出しなければならない。
(補助金の請求)
第8条　補助事業者は、補助金の交付を受けようとするときは、補助金交付請求書(様式第5号)に記名押印して市長に請求しなければならない。
2　補助事業者は、補助金の受領を他の者に委任するときは、委任状(様式第6号)に実印を押印し、印鑑登録証明書を添えて市長に提出しなければならない。
(委任)
第9条　この要綱に定めるもののほか、必要な事項は、市長が別に定める。
附　則
この告示は、令和4年4月1日から施行する。
"""

# ---------------------------------------------------------------------------
# さくら台市文書取扱規則 (例規集 HTML). Each line: (kind, *fields).
# ---------------------------------------------------------------------------
BUNSHO_TITLE = "さくら台市文書取扱規則"
BUNSHO_LINES = [
    ("title", "○さくら台市文書取扱規則"),
    ("date", "平成15年3月31日"),
    ("number", "規則第9号"),
    ("article", "(趣旨)", "第1条", "この規則は、市長の事務部局における文書の取扱いについて必要な事項を定めるものとする。"),
    ("article", "(定義)", "第2条", "この規則において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。"),
    ("item", "(1)", "文書　職員が職務上作成し、又は取得した文書、図画及び電磁的記録をいう。"),
    ("item", "(2)", "文書主管課　総務部総務課をいう。"),
    ("article", "(文書取扱いの原則)", "第3条", "文書は、正確かつ迅速に取り扱い、常にその処理経過を明らかにしておかなければならない。"),
    ("article", "(文書の収受)", "第4条", "市役所に到達した文書は、文書主管課において収受し、その余白に収受日附印(様式第1号)を押さなければならない。"),
    ("clause", "2", "郵便により到達した文書で、到達の日付が争いとなるおそれがあるものについては、封筒の消印を確認し、当該封筒を文書に添付しておかなければならない。"),
    ("clause", "3", "親展文書は、開封せずに名あて人に配付するものとする。"),
    ("article", "(起案)", "第5条", "文書の起案は、起案用紙(様式第2号)又は電子決裁システムにより行うものとする。"),
    ("article", "(決裁)", "第6条", "起案文書は、決裁権者の決裁を受けなければならない。"),
    ("clause", "2", "決裁権者は、起案用紙の決裁欄に押印に代えて署名し、又は電子決裁システムにより決裁するものとする。"),
    ("article", "(施行文書の公印)", "第7条", "施行する文書には、さくら台市公印規則(平成15年さくら台市規則第10号)の定めるところにより公印を押さなければならない。"),
    ("clause", "2", "前項の規定にかかわらず、軽易な文書その他市長が別に定める文書については、公印の押印を省略することができる。"),
    ("article", "(文書の印刷)", "第8条", "文書の印刷は、原則として庁内印刷によるものとする。"),
    ("shead", "附　則", "", ""),
    ("suppl", "この規則は、平成15年4月1日から施行する。"),
    ("shead", "附　則", "(令和3年3月31日", "規則第16号)"),
    ("suppl", "この規則は、令和3年4月1日から施行する。"),
]
BUNSHO_SIDEBAR_TAIKEI = "第3編 執行機関/第1章 市長/第3節 文書・公印"
BUNSHO_ENKAKU = [("平成15年3月31日", "規則第9号"), ("令和3年3月31日", "規則第16号")]

# ---------------------------------------------------------------------------
# さくら台市市民農園条例 (law XML shape, national numbering style as e-Gov writes it)
# ---------------------------------------------------------------------------
NOEN_ARTICLES = [
    ("1", "（目的）", "第一条", [
        ("この条例は、市民が土に親しみ、野菜等の栽培を通じて自然への理解を深めるとともに、市民相互の交流を促進するため、"
         "さくら台市市民農園（以下「市民農園」という。）の設置及び管理に関し必要な事項を定めることを目的とする。", []),
    ]),
    ("2", "（設置）", "第二条", [("市民農園の名称及び位置は、別表のとおりとする。", [])]),
    ("3", "（使用者の資格）", "第三条", [("市民農園を使用することができる者は、市内に住所を有する者とする。", [])]),
    ("4", "（使用期間）", "第四条", [("市民農園の使用期間は、一年以内とする。ただし、更新を妨げない。", [])]),
    ("5", "（使用の許可）", "第五条", [
        ("市民農園を使用しようとする者は、規則で定めるところにより、使用許可申請書に必要な事項を記載し、"
         "これに押印して市長に提出し、その許可を受けなければならない。", []),
        ("市長は、前項の許可をする場合において、管理上必要な条件を付することができる。", []),
    ]),
    ("6", "（使用料）", "第六条", [
        ("前条第一項の許可を受けた者（以下「使用者」という。）は、一区画につき年額六千円の使用料を納付しなければならない。", []),
    ]),
    ("7", "（禁止行為）", "第七条", [
        ("使用者は、次に掲げる行為をしてはならない。", [
            "区画の境界を示す目印として設置された杭を移動し、又は撤去すること。",
            "市民農園を使用する権利を他人に譲渡し、又は転貸すること。",
            "市長の許可を受けないで工作物を設置すること。",
        ]),
    ]),
    ("8", "（許可の取消し）", "第八条", [
        ("市長は、使用者が次の各号のいずれかに該当するときは、第五条第一項の許可を取り消すことができる。", [
            "偽りその他不正の手段により許可を受けたとき。",
            "前条の規定に違反したとき。",
        ]),
    ]),
    ("9", "（委任）", "第九条", [("この条例の施行に関し必要な事項は、規則で定める。", [])]),
]
NOEN_TABLE = [
    ("名称", "位置"),
    ("さくら台東市民農園", "さくら台市東町三丁目十二番地"),
    ("さくら台西市民農園", "さくら台市西原一丁目四番地の二"),
]
KANJI_DIGITS = "〇一二三四五六七八九"
FULLWIDTH_DIGITS = "０１２３４５６７８９"

# ---------------------------------------------------------------------------
# さくら台市聴聞等の手続に関する規則 (.docx)
# ---------------------------------------------------------------------------
CHOMON_LINES = [
    "○さくら台市聴聞等の手続に関する規則",
    "平成8年3月29日",
    "規則第3号",
    "(趣旨)",
    "第1条　この規則は、さくら台市行政手続条例(平成8年さくら台市条例第1号。以下「条例」という。)第3章に定める聴聞及び弁明の機会の付与の手続に関し必要な事項を定めるものとする。",
    "(主宰者の指名)",
    "第2条　市長は、聴聞を主宰する職員(以下「主宰者」という。)を、聴聞の期日ごとに指名するものとする。",
    "(聴聞の通知の方式)",
    "第3条　条例第15条第1項の規定による通知は、聴聞通知書(別記様式第1号)により行うものとする。",
    "(代理人)",
    "第4条　代理人の資格は、委任状により証明しなければならない。",
    "(聴聞調書)",
    "第5条　主宰者は、聴聞の審理の経過を記載した調書を作成しなければならない。",
    "2　主宰者は、前項の調書を作成したときは、これに署名押印しなければならない。",
    "(弁明の機会の付与)",
    "第6条　弁明の機会の付与の通知は、弁明通知書(別記様式第2号)により行うものとする。",
    "附　則",
    "この規則は、平成8年4月1日から施行する。",
]
CHOMON_FORM_HEAD = ["別記様式第1号(第3条関係)", "聴聞通知書"]
CHOMON_FORM_ROWS = [
    ("文書番号", "第　　　号"),
    ("通知日", "年　　月　　日"),
    ("宛先", "様"),
    ("通知者", "さくら台市長　　　　　　　　　　印"),
    ("予定される不利益処分の内容", ""),
    ("根拠となる法令等の条項", ""),
    ("不利益処分の原因となる事実", ""),
    ("聴聞の期日及び場所", "年　　月　　日　　時　　分\n場所"),
    ("聴聞に関する事務を所掌する組織の名称及び所在地", ""),
    ("教示",
     "1　聴聞の期日に出頭して意見を述べ、及び証拠書類等を提出し、又は聴聞の期日への出頭に代えて"
     "陳述書及び証拠書類等を提出することができます。\n"
     "2　聴聞が終結する時までの間、当該不利益処分の原因となる事実を証する資料の閲覧を求めることができます。"),
]


def write_text(path: Path, text: str, encoding: str, newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # strict encoding: a character CP932 cannot hold must fail the build, not turn into "?"
    data = text.replace("\n", newline).encode(encoding, errors="strict")
    path.write_bytes(data)


def build_bunsho_html(path: Path) -> None:
    counter = iter(range(1, 10_000))

    def eid() -> str:
        return f"e{next(counter):09d}"

    def quote_links(text: str) -> str:
        # 例規集 pages link 「この規則」 back to the title line
        escaped = html.escape(text, quote=False)
        return escaped.replace(
            "この規則", '<a href="#l000000000" class="inline quote">この規則</a>'
        )

    body = []
    for n, line in enumerate(BUNSHO_LINES):
        kind = line[0]
        lid = f"l{n:09d}"
        if kind in ("title", "date", "number"):
            pclass = "title-irregular" if kind == "title" else kind
            inner = (f'<div class="head"><p class="{pclass}"><span id="{eid()}" class="cm">'
                     f"{html.escape(line[1])}</span></p></div>")
        elif kind == "article":
            _, caption, num, text = line
            inner = (f'<div class="article"><p class="title"><span id="{eid()}" class="cm">{html.escape(caption)}</span></p>'
                     f'<p id="{eid()}" class="num"><span id="{eid()}" class="num cm">{num}</span>　'
                     f'<span class="clause"><span id="{eid()}" class="p cm">{quote_links(text)}</span></span></p></div>')
        elif kind == "clause":
            _, num, text = line
            inner = (f'<div class="clause"><p id="{eid()}" class="num"><span id="{eid()}" class="num cm">{num}</span>　'
                     f'<span id="{eid()}" class="p cm">{quote_links(text)}</span></p></div>')
        elif kind == "item":
            _, num, text = line
            inner = (f'<div class="item"><p id="{eid()}" class="num"><span id="{eid()}" class="num cm">{num}</span>　'
                     f'<span id="{eid()}" class="p cm">{quote_links(text)}</span></p></div>')
        elif kind == "shead":
            _, label, date, number = line
            extra = ""
            if date:
                extra = (f'<span id="{eid()}" class="date cm">{html.escape(date)}</span>'
                         f'<span id="{eid()}" class="number cm">{html.escape(number)}</span>')
            inner = (f'<p id="{eid()}" class="s-head"><span id="{eid()}" class="title cm">'
                     f'<span class="word-space">{label[0]}</span>{label[-1]}</span>{extra}</p>')
        elif kind == "suppl":
            inner = (f'<div class="clause"><p style="text-indent:1em;margin-left:0em;" id="{eid()}" class="p">'
                     f'<span id="{eid()}" class="p cm">{quote_links(line[1])}</span></p></div>')
        else:
            raise ValueError(f"unknown line kind {kind!r}")
        body.append(f'<div>\n<div id="{lid}" class="eline">{inner}</div>\n</div>')

    toc = []
    for line in BUNSHO_LINES:
        if line[0] == "article":
            toc.append(f'<li><div><span class="noicon">&nbsp;</span><a href="#">'
                       f'<span class="cm article"><span class="t-t">{line[2]}</span>'
                       f'<span class="t-t">{html.escape(line[1])}</span></span></a></div></li>')
    enkaku = "\n".join(
        f'<tr>\n<td class="seitei-icon" valign="TOP">◆</td>\n<td valign="TOP" nowrap="nowrap">{d}</td>\n'
        f'<td valign="TOP">{no}</td>\n</tr>'
        for d, no in BUNSHO_ENKAKU
    )
    first_date, first_no = BUNSHO_ENKAKU[0]
    page = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html lang="ja">
<head>
<meta http-equiv="content-type" content="text/html; charset=utf-8"><meta name="viewport" content="width=device-width,initial-scale=1.0">
<title>{BUNSHO_TITLE}</title>
<link rel="stylesheet" type="text/css" href="reiki.css">
<script type="text/javascript" src="reiki.js" charset="utf-8"> </script>
</head>
<body>
<div id="wrapper">
<div id="container">
<!-- 本文 -->
<div id="primary" class="joubun showhistory">
<div id="primaryInner">
<div id="primaryInner2">
{chr(10).join(body)}
</div>
</div>
</div>
<!-- /本文 -->
<!-- secondary -->
<div id="secondary">
<div class="heading-area">
<h2 class="heading-lv2A">{BUNSHO_TITLE}</h2>
</div>
<p class="datenumber-area mt04">{first_date}　{first_no}</p>
<ul class="tab-nav mt06">
<li><a id="joubun-toc-nav" href="#joubun-toc-span"><span id="joubun-toc-span">条項目次</span></a></li>
<li><a id="shoshi-inf-nav" href="#shoshi-inf-span"><span id="shoshi-inf-span">沿革</span></a></li>
</ul>
<div class="tab-area">
<div id="joubun-toc" class="tab-body">
<div class="joubun-toc">
<ul>
{chr(10).join(toc)}
</ul>
</div>
</div>
<div id="shoshi-inf" class="tab-body">
<div class="shoshi">
<div>
<span class="taikei-title">体系情報</span>
</div>
<div>
<span class="taikei-item">{BUNSHO_SIDEBAR_TAIKEI}</span>
</div>
<div>
<span class="enkaku-title">沿革情報</span>
</div>
<table>
{enkaku}
</table>
</div>
</div>
</div>
</div>
<!-- /secondary -->
</div>
</div>
</body>
</html>
"""
    write_text(path, page, "utf-8")


def _kanji_number(n: int) -> str:
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + ("" if ones == 0 else KANJI_DIGITS[ones])


def _fullwidth(n: int) -> str:
    return "".join(FULLWIDTH_DIGITS[int(d)] for d in str(n))


def build_noen_xml(path: Path) -> None:
    def sub(parent, tag, text=None, **attrs):
        el = etree.SubElement(parent, tag, {k: v for k, v in attrs.items()})
        if text is not None:
            el.text = text
        return el

    law = etree.Element("Law", Era="Reiwa", Lang="ja", LawType="Misc", Num="15", Year="02",
                        PromulgateMonth="03", PromulgateDay="25")
    sub(law, "LawNum", "令和二年さくら台市条例第十五号")
    body = sub(law, "LawBody")
    sub(body, "LawTitle", "さくら台市市民農園条例")
    main = sub(body, "MainProvision")
    for num, caption, title, paragraphs in NOEN_ARTICLES:
        art = sub(main, "Article", Num=num)
        sub(art, "ArticleCaption", caption)
        sub(art, "ArticleTitle", title)
        for pi, (sentence, items) in enumerate(paragraphs, start=1):
            para = sub(art, "Paragraph", Num=str(pi))
            sub(para, "ParagraphNum", None if pi == 1 else _fullwidth(pi))
            ps = sub(para, "ParagraphSentence")
            sub(ps, "Sentence", sentence, Num="1", WritingMode="horizontal")
            for ii, item_text in enumerate(items, start=1):
                item = sub(para, "Item", Num=str(ii))
                sub(item, "ItemTitle", _kanji_number(ii))
                its = sub(item, "ItemSentence")
                sub(its, "Sentence", item_text, Num="1", WritingMode="horizontal")
    suppl = sub(body, "SupplProvision")
    sub(suppl, "SupplProvisionLabel", "附　則")
    para = sub(suppl, "Paragraph", Num="1")
    sub(para, "ParagraphNum")
    ps = sub(para, "ParagraphSentence")
    sub(ps, "Sentence", "この条例は、令和二年四月一日から施行する。", Num="1", WritingMode="horizontal")
    appdx = sub(body, "AppdxTable", Num="1")
    sub(appdx, "AppdxTableTitle", "別表", WritingMode="horizontal")
    sub(appdx, "RelatedArticleNum", "（第二条関係）")
    table = sub(sub(appdx, "TableStruct"), "Table", WritingMode="horizontal")
    for row in NOEN_TABLE:
        tr = sub(table, "TableRow")
        for cell in row:
            col = sub(tr, "TableColumn", BorderTop="solid", BorderBottom="solid", BorderLeft="solid", BorderRight="solid")
            sub(col, "Sentence", cell, Num="1", WritingMode="horizontal")
    etree.indent(law, space="  ")
    data = etree.tostring(law, xml_declaration=True, encoding="UTF-8", standalone=False, pretty_print=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _new_document(title: str):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    style = doc.styles["Normal"]
    style.font.name = "ＭＳ 明朝"
    style.font.size = Pt(10.5)
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "ＭＳ 明朝"
    )
    props = doc.core_properties
    props.title = title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = BUILD_TIME
    props.modified = BUILD_TIME
    props.revision = 1
    return doc


def _set_cell(cell, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for extra in lines[1:]:
        cell.add_paragraph(extra)


def build_chomon_docx(path: Path) -> None:
    doc = _new_document("さくら台市聴聞等の手続に関する規則")
    for line in CHOMON_LINES:
        doc.add_paragraph(line)
    for line in CHOMON_FORM_HEAD:
        doc.add_paragraph(line)
    table = doc.add_table(rows=len(CHOMON_FORM_ROWS), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, CHOMON_FORM_ROWS):
        _set_cell(row.cells[0], label)
        _set_cell(row.cells[1], value)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def build_hojokin_shinseisho_docx(path: Path) -> None:
    doc = _new_document("補助金等交付申請書")
    doc.add_paragraph("様式第1号(第5条関係)")
    title = doc.add_paragraph("補助金等交付申請書")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("年　　月　　日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("さくら台市長　様")
    doc.add_paragraph("申請者　住所")
    doc.add_paragraph("氏名(法人にあっては、名称及び代表者の氏名)")
    # the seal marker at the end of the name line, as in most municipal forms
    doc.add_paragraph("氏名　　　　　　　　　　　　　　　　印")
    doc.add_paragraph(
        "さくら台市補助金等交付規則第5条第1項の規定により、関係書類を添えて、次のとおり補助金等の交付を申請します。"
    )
    rows = [
        ("申請者の区分", "法人・個人(該当するものに○印を付けてください。)"),
        ("補助事業等の名称", ""),
        ("補助事業等の目的及び内容", ""),
        ("補助金等交付申請額", "円"),
        ("添付書類", "1　事業計画書\n2　収支予算書"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows):
        _set_cell(row.cells[0], label)
        _set_cell(row.cells[1], value)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def _textbox_run_xml(text: str, shape_id: int) -> str:
    """A run holding a DrawingML text box, anchored at the top right, as Word writes it."""
    emu_w, emu_h = 1080000, 720000  # 30 mm x 20 mm
    return f"""<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>
<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264"
 behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="{emu_w}" cy="{emu_h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="{shape_id}" name="テキスト ボックス {shape_id}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu_w}" cy="{emu_h}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>
<wps:txbx><w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{html.escape(text)}</w:t></w:r></w:p></w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t"/>
</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"""


def build_sogyo_seikyusho_docx(path: Path) -> None:
    doc = _new_document("補助金交付請求書")
    head = doc.add_paragraph("様式第5号(第8条関係)")
    head._p.append(parse_xml(_textbox_run_xml("受付印", 1)))
    title = doc.add_paragraph("補助金交付請求書")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("年　　月　　日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("さくら台市長　様")
    doc.add_paragraph(
        "令和　　年　　月　　日付けさ商第　　号で交付決定を受けた創業支援補助金について、"
        "さくら台市創業支援補助金交付要綱第8条第1項の規定により、次のとおり請求します。"
    )
    doc.add_paragraph("請求金額　金　　　　　　　　　円")
    claimant = doc.add_table(rows=3, cols=3)
    claimant.style = "Table Grid"
    cells = [("所在地", "", ""), ("名称", "", ""), ("代表者氏名", "", "㊞")]
    for row, values in zip(claimant.rows, cells):
        for cell, value in zip(row.cells, values):
            cell.text = value
    doc.add_paragraph("振込先")
    bank = doc.add_table(rows=5, cols=2)
    bank.style = "Table Grid"
    bank_rows = [
        ("金融機関名", "銀行・信用金庫・農協"),
        ("支店名", ""),
        ("口座種別", "普通・当座(該当するものに○印を付けてください。)"),
        ("口座番号", ""),
        ("口座名義(カタカナ)", ""),
    ]
    for row, (label, value) in zip(bank.rows, bank_rows):
        row.cells[0].text = label
        row.cells[1].text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def build_bousai_xlsx(path: Path) -> None:
    wb = Workbook()
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    mincho = Font(name="ＭＳ 明朝", size=11)

    ws = wb.active
    ws.title = "様式第1号"
    for col, width in zip("ABCDEF", (4, 12, 16, 16, 16, 6)):
        ws.column_dimensions[col].width = width
    ws["A1"] = "様式第1号(第4条関係)"
    ws.merge_cells("A3:F3")
    ws["A3"] = "防災資機材貸与申請書"
    ws["A3"].alignment = Alignment(horizontal="center")
    ws["E5"] = "年　　月　　日"
    ws["A7"] = "さくら台市長　様"
    ws["C9"] = "自主防災組織の名称"
    ws.merge_cells("D9:F9")
    ws["C10"] = "代表者住所"
    ws.merge_cells("D10:F10")
    ws["C11"] = "代表者氏名"
    ws.merge_cells("D11:E12")
    # the seal box: a merged cell right of the name, as spreadsheet forms draw it
    ws.merge_cells("F11:F12")
    ws["F11"] = "印"
    ws["F11"].alignment = Alignment(horizontal="center", vertical="center")
    ws["A14"] = "次のとおり防災資機材の貸与を申請します。"
    ws["B16"], ws["C16"], ws["D16"] = "資機材名", "数量", "使用目的"
    for r in range(16, 21):
        for c in "BCD":
            ws[f"{c}{r}"].border = box
    ws["A23"] = "注　この様式は、日本産業規格A列4番の用紙に印刷して使用してください。"

    ws3 = wb.create_sheet("様式第3号")
    for col, width in zip("ABCDEF", (14, 16, 8, 18, 10, 4)):
        ws3.column_dimensions[col].width = width
    ws3["A1"] = "様式第3号(第6条関係)"
    ws3.merge_cells("A3:E3")
    ws3["A3"] = "防災資機材受領書"
    ws3["A3"].alignment = Alignment(horizontal="center")
    ws3["A5"] = "さくら台市長　様"
    ws3["A7"] = "さくら台市自主防災組織資機材貸与要綱第6条の規定により、次の資機材を受領しました。"
    headers = ("受領年月日", "資機材名", "数量", "受領者氏名", "受領印")
    for col, value in zip("ABCDE", headers):
        ws3[f"{col}9"] = value
    for r in range(9, 15):
        for c in "ABCDE":
            ws3[f"{c}{r}"].border = box

    for sheet in (ws, ws3):
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cell.font = mincho
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.created = BUILD_TIME
    wb.properties.modified = BUILD_TIME
    wb.properties.title = "防災資機材貸与申請書・受領書"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def build_all(out: Path) -> list[Path]:
    """Write every generated file under ``out``; returns the paths written."""
    targets = {
        "reiki/keiyaku_kisoku.txt": lambda p: write_text(p, KEIYAKU_KISOKU, "cp932", "\r\n"),
        "reiki/sogyo_shien_yoko.txt": lambda p: write_text(p, SOGYO_YOKO, "utf-8-sig"),
        "reiki/bunsho_toriatsukai_kisoku.html": build_bunsho_html,
        "reiki/shimin_noen_jorei.xml": build_noen_xml,
        "reiki/chomon_kisoku.docx": build_chomon_docx,
        "yoshiki/hojokin_kofu_shinseisho.docx": build_hojokin_shinseisho_docx,
        "yoshiki/sogyo_seikyusho.docx": build_sogyo_seikyusho_docx,
        "yoshiki/bousai_shizai.xlsx": build_bousai_xlsx,
    }
    written = []
    for rel, build in targets.items():
        path = out / rel
        build(path)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    for p in build_all(target):
        print(p)

"""The Tokyo-summit seed in Italian and Japanese: each commitment's title and summary,
translated by the tracker's editors from the English of the article (the original).

Established renderings are kept: Indo-Pacifico libero e aperto / 自由で開かれたインド太平洋
(FOIP), グローバル戦闘航空プログラム（GCAP）, 物品役務相互提供協定（ACSA）, 国連海洋法条約
（UNCLOS）, バイオものづくり. `seed.load_seed` records them through
`services.translations.set_translation`, so loading the seed again changes nothing.
"""

from __future__ import annotations

TRANSLATED_BY = "Tracker editors"

# slug -> language -> (title, summary); a summary is given where the original has one.
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "action-plan-2024-2027": {
        "it": (
            "Attuare il Piano d'azione 2024-2027 del Partenariato strategico speciale",
            "Il piano che, secondo l'articolo, inquadra già il rapporto bilaterale e nel cui "
            "ambito Giappone e Italia definiscono le proprie relazioni un Partenariato "
            "strategico speciale.",
        ),
        "ja": (
            "「特別な戦略的パートナーシップ」に関する行動計画（2024～2027年）の実施",
            "記事によれば既に二国間関係の枠組みとなっている計画であり、日本とイタリアはこの下で"
            "両国関係を「特別な戦略的パートナーシップ」と位置付けています。",
        ),
    },
    "160th-anniversary-initiatives-2026": {
        "it": (
            "Organizzare nel corso del 2026 una serie di iniziative per il 160° anniversario "
            "delle relazioni diplomatiche",
            "Una serie di iniziative per celebrare i 160 anni di relazioni diplomatiche tra "
            "Italia e Giappone.",
        ),
        "ja": (
            "2026年を通じた外交関係樹立160周年記念の一連の行事の実施",
            "日伊外交関係160周年を記念する一連の取組です。",
        ),
    },
    "foip-rule-of-law": {
        "it": (
            "Operare nell'Indo-Pacifico nel quadro di un Indo-Pacifico libero e aperto fondato "
            "sullo Stato di diritto",
            "",
        ),
        "ja": (
            "法の支配に基づく自由で開かれたインド太平洋の下でのインド太平洋地域における連携",
            "",
        ),
    },
    "foip-global-mediterranean-links": {
        "it": (
            "Promuovere legami più stretti tra l'Indo-Pacifico libero e aperto (FOIP) e il "
            "Mediterraneo globale",
            "",
        ),
        "ja": ("自由で開かれたインド太平洋（FOIP）と「グローバル地中海」との連携強化", ""),
    },
    "politico-military-dialogue": {
        "it": ("Tenere un dialogo politico-militare a cadenza regolare", ""),
        "ja": ("定期的な政治・軍事対話の開催", ""),
    },
    "acsa-agreement": {
        "it": (
            "Mantenere in vigore l'Accordo per la fornitura reciproca di beni e servizi (ACSA)",
            "",
        ),
        "ja": ("物品役務相互提供協定（ACSA）の維持", ""),
    },
    "joint-training-and-exercises": {
        "it": ("Svolgere addestramenti congiunti ed esercitazioni militari", ""),
        "ja": ("共同訓練及び軍事演習の実施", ""),
    },
    "gcap-next-generation-fighter": {
        "it": (
            "Realizzare entro il 2035, con il Regno Unito, un caccia di nuova generazione "
            "nell'ambito del Global Combat Air Programme (GCAP)",
            "",
        ),
        "ja": (
            "グローバル戦闘航空プログラム（GCAP）による英国との2035年までの次期戦闘機の実現",
            "",
        ),
    },
    "new-defence-technologies": {
        "it": (
            "Estendere la cooperazione a nuove tecnologie ed equipaggiamenti per la difesa "
            "oltre il GCAP (disponibilità espressa)",
            "",
        ),
        "ja": ("GCAP以外の新たな防衛技術・装備品への協力拡大（前向きな姿勢の表明）", ""),
    },
    "economic-security-shared-concerns": {
        "it": (
            "Preoccupazioni condivise per le pratiche non di mercato, le restrizioni alle "
            "esportazioni, le vulnerabilità delle catene di approvvigionamento, le distorsioni "
            "del mercato e la sovraccapacità",
            "",
        ),
        "ja": (
            "非市場的政策・慣行、輸出制限、サプライチェーンの脆弱性、市場歪曲及び過剰生産能力に"
            "関する懸念の共有",
            "",
        ),
    },
    "ai-robotics-semiconductors-biomanufacturing": {
        "it": (
            "Robotica basata sull'IA, semiconduttori e biomanifattura, citati tra le "
            "preoccupazioni condivise",
            "",
        ),
        "ja": ("共通の懸念事項として挙げられたAIロボティクス、半導体及びバイオものづくり", ""),
    },
    "business-dialogue-business-group": {
        "it": (
            "Intensificare il dialogo tra imprese e start-up italiane e giapponesi, con "
            "l'Italy-Japan Business Group",
            "",
        ),
        "ja": ("日伊ビジネスグループと連携した日伊の企業・スタートアップ間の対話の強化", ""),
    },
    "asi-jaxa-space-cooperation": {
        "it": (
            "Valorizzare la collaborazione ASI-JAXA e avviare nuovi partenariati commerciali, "
            "industriali e di sicurezza nello spazio",
            "",
        ),
        "ja": (
            "イタリア宇宙機関（ASI）とJAXAの協力を基盤とした、宇宙分野における商業・産業・"
            "安全保障面での新たなパートナーシップの構築",
            "",
        ),
    },
    "oppose-unilateral-change-status-quo-unclos": {
        "it": (
            "Opporsi ai tentativi unilaterali di modificare lo status quo con la forza nel Mar "
            "Cinese Orientale e nel Mar Cinese Meridionale; sostenere la Convenzione delle "
            "Nazioni Unite sul diritto del mare (UNCLOS)",
            "",
        ),
        "ja": (
            "東シナ海及び南シナ海における力による一方的な現状変更の試みへの反対と国連海洋法条約"
            "（UNCLOS）の堅持",
            "",
        ),
    },
    "taiwan-related-stability-maritime-security": {
        "it": (
            "Collegare la presenza italiana nell'Indo-Pacifico alla stabilità relativa a Taiwan "
            "e alla sicurezza marittima",
            "",
        ),
        "ja": (
            "イタリアのインド太平洋におけるプレゼンスと台湾をめぐる安定及び海洋安全保障との結び付け",
            "",
        ),
    },
    "digital-and-energy-transition-cooperation": {
        "it": (
            "Priorità dell'Italia: continuare a rafforzare la cooperazione sulla trasformazione "
            "digitale, sulla transizione energetica e su un'economia globale sempre più "
            "frammentata",
            "",
        ),
        "ja": (
            "イタリアの優先事項：デジタル・トランスフォーメーション、エネルギー転換及び分断が進む"
            "世界経済に関する協力の継続的な強化",
            "",
        ),
    },
}

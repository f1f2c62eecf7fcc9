// test_inline_text.cpp — inline Markdown: styles, math spans, links, images, HTML tags and entities.
// Not block structure (test_lesson_parser.cpp).
#include <doctest/doctest.h>

#include "lessons/inline_text.h"

using namespace difflab;

TEST_CASE("emphasis, strong, code and math become spans with their style flags") {
  const InlineText spans = parse_inline("a *b* **c** `d_e` $x_t$ ***f***");
  REQUIRE(spans.size() == 11);
  CHECK(spans[1].text == "b");
  CHECK(spans[1].style == kSpanEmphasis);
  CHECK(spans[3].text == "c");
  CHECK(spans[3].style == kSpanStrong);
  CHECK(spans[5].text == "d_e");
  CHECK(spans[5].style == kSpanCode);
  CHECK(spans[7].text == "x");
  CHECK(spans[7].source == "x_t");
  CHECK(spans[7].style == kSpanMath);
  CHECK(spans[8].text == "t");
  CHECK(spans[8].style == (kSpanMath | kSpanSub | kSpanMathJoin));
  CHECK(spans[10].style == (kSpanStrong | kSpanEmphasis));
  CHECK(plain_text(spans) == "a b c d_e xₜ f");
}

TEST_CASE("nested emphasis keeps both flags and snake_case words stay plain") {
  InlineText spans = parse_inline("**_guidance_** y tokens_texto");
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].text == "guidance");
  CHECK(spans[0].style == (kSpanStrong | kSpanEmphasis));
  CHECK(spans[1].text == " y tokens_texto");
  CHECK(spans[1].style == kSpanPlain);
  CHECK(plain_text(parse_inline("_\"Crear ruido es fácil;\ncrear datos no.\"_")) ==
        "\"Crear ruido es fácil; crear datos no.\"");
}

TEST_CASE("dollars that do not open math stay dollars") {
  CHECK(plain_text(parse_inline("cuesta $5 y $10")) == "cuesta $5 y $10");
  CHECK(plain_text(parse_inline("a \\$ b")) == "a $ b");
  const InlineText display = parse_inline("$$x^2$$");
  REQUIRE(display.size() == 2);
  CHECK(display[0].style == (kSpanMath | kSpanDisplayMath));
  CHECK(display[1].style == (kSpanMath | kSpanDisplayMath | kSpanSup | kSpanMathJoin));
  CHECK(plain_text(display) == "x²");
}

TEST_CASE("links keep their target, images show their alt without Marp size keywords") {
  InlineText spans =
      parse_inline("ver [el paper](https://arxiv.org/abs/2006.11239) y ![width:700 Ruido](a.png)");
  REQUIRE(spans.size() == 4);
  CHECK(spans[1].text == "el paper");
  CHECK(spans[1].style == kSpanLink);
  CHECK(spans[1].target == "https://arxiv.org/abs/2006.11239");
  CHECK(spans[3].text == "[image: Ruido]");
  CHECK(spans[3].style == kSpanImage);
  CHECK(spans[3].target == "a.png");
  CHECK(image_alt_without_marp_keywords("bg left:40% contain foto") == "foto");
  CHECK(image_alt_without_marp_keywords("height:500px") == "");
  CHECK(image_alt_without_marp_keywords("alt text") == "alt text");
}

TEST_CASE("HTML tags are stripped with their text kept, <br> and trailing spaces break lines") {
  CHECK(plain_text(parse_inline("<span class=\"citation\">DDPM, 2020</span>")) == "DDPM, 2020");
  InlineText spans = parse_inline("uno<br>dos  \ntres");
  REQUIRE(spans.size() == 5);
  CHECK(spans[1].style == kSpanBreak);
  CHECK(spans[1].text == "\n");
  CHECK(spans[3].style == kSpanBreak);
  CHECK(plain_text(parse_inline("Ho &amp; Salimans &lt;2021&gt; &#955;")) == "Ho & Salimans <2021> λ");
  CHECK(strip_html("<div class=\"x\">a <b>b</b></div><br/>") == "a b\n");
  CHECK(plain_text(parse_inline("<img src=\"x.png\" alt=\"un gato\">")) == "[image: un gato]");
  CHECK(plain_text(parse_inline("a < b y c > d")) == "a < b y c > d");
}

TEST_CASE("inline math warnings carry the line offset inside the paragraph") {
  std::vector<InlineIssue> issues;
  parse_inline("primera línea\nsegunda con $\\foo$", &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].line_offset == 1);
  CHECK_FALSE(issues[0].error);
}

TEST_CASE("a formula with a script Unicode cannot write is one span per piece, joined, flagged sub/sup") {
  const InlineText spans = parse_inline("la red $\\epsilon_\\theta(x_t, t)$ y $x^{\\top}y$");
  REQUIRE(spans.size() == 10);
  CHECK(spans[1].text == "ε");
  CHECK(spans[1].style == kSpanMath);
  CHECK(spans[2].text == "θ");
  CHECK(spans[2].style == (kSpanMath | kSpanSub | kSpanMathJoin));
  CHECK(spans[3].text == "(x");
  CHECK(spans[3].style == (kSpanMath | kSpanMathJoin));
  CHECK(spans[1].source == "\\epsilon_\\theta(x_t, t)");
  CHECK(spans[3].source.empty());  // the source rides on the first piece only
  CHECK(spans[4].text == "t");
  CHECK(spans[8].text == "⊤");
  CHECK(spans[8].style == (kSpanMath | kSpanSup | kSpanMathJoin));
  // plain_text (titles, search) writes the scripts back as the fallback text does.
  CHECK(plain_text(spans) == "la red ε_θ(xₜ, t) y xᵀy");
  CHECK(plain_text(parse_inline("$\\mathbb{E}_{t,x_0,\\epsilon}$")) == "𝔼_(t,x₀,ε)");
  // A script of a script is marked as such (drawn smaller still).
  const InlineText nested = parse_inline("$x_{a_\\theta}$");
  REQUIRE(nested.size() == 3);
  CHECK(nested[2].style == (kSpanMath | kSpanSub | kSpanScriptScript | kSpanMathJoin));
}

TEST_CASE("LaTeX left unrendered is reported: commands, one-letter scripts and braces outside $…$") {
  auto found = [](const char* text) {
    std::vector<InlineIssue> issues;
    parse_inline(text, &issues);
    std::string all;
    for (const InlineIssue& i : issues) all += i.message + "\n";
    return all;
  };
  CHECK(found("la red ε_θ predice").find("'ε_θ'") != std::string::npos);
  CHECK(found("desde x_T hasta x₀").find("'x_T'") != std::string::npos);
  CHECK(found("con \\alpha fijo").find("'\\alpha'") != std::string::npos);
  CHECK(found("E_{t} aquí").find("'E_{t}'") != std::string::npos);
  CHECK(found("x^2 crece").find("'x^2'") != std::string::npos);
  // Escaped underscores inside math show as written: reported too.
  CHECK(found("$p\\_data$").find("math shows '_'") != std::string::npos);
  // Identifiers, code, links and converted math are fine.
  CHECK(found("tokens_texto, `loss_by_t`, [a_b](https://x.org/a_b), $\\epsilon_\\theta$ y $x^2$") == "");
  // The warning points at the line of the paragraph where the leftover is.
  std::vector<InlineIssue> issues;
  parse_inline("primera\nsegunda con β_T", &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].line_offset == 1);
  CHECK_FALSE(issues[0].error);
}

TEST_CASE("an opening '$' with no closing one is a warning, amounts like $5 are not") {
  std::vector<InlineIssue> issues;
  parse_inline("el costo $x sin cerrar", &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].message.find("never closed") != std::string::npos);
  issues.clear();
  parse_inline("cuesta $5 y $ 10", &issues);
  CHECK(issues.empty());
}

TEST_CASE("links nested past kMaxBlockNesting are an error, the markers stay text, no stack overflow") {
  // [[[…[x](u)…](u)](u): each label holds the next link, so parsing recursed once per level.
  const int n = 20000;
  std::string text;
  for (int i = 0; i < n; ++i) text += "[";
  text += "x";
  for (int i = 0; i < n; ++i) text += "](u)";
  std::vector<InlineIssue> issues;
  const InlineText spans = parse_inline(text, &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].error);
  CHECK(issues[0].message.find("kMaxBlockNesting") != std::string::npos);
  REQUIRE_FALSE(spans.empty());
  CHECK(spans[0].style == kSpanLink);
  CHECK(spans[0].target == "u");
}

TEST_CASE("a \\\\ line break inside a formula splits it into lines (each drawn and centred on its own)") {
  const InlineText spans = parse_inline("$$a = b \\\\ c_\\theta = d$$");
  REQUIRE(spans.size() == 5);
  CHECK(spans[0].text == "a = b");
  CHECK(spans[1].style == kSpanBreak);
  CHECK(spans[2].text == "c");
  CHECK((spans[2].style & kSpanMathJoin) == 0);  // a new line starts a new formula run
  CHECK(spans[3].text == "θ");
  CHECK(spans[3].style == (kSpanMath | kSpanDisplayMath | kSpanSub | kSpanMathJoin));
  CHECK(spans[4].text == " = d");
}

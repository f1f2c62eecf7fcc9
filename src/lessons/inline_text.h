// inline_text.h — the inline spans of one Markdown paragraph: text runs with style flags, math already
// converted to Unicode, links and images kept apart. Not block structure (lesson.h) and not drawing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace difflab {

enum SpanStyle : uint32_t {
  kSpanPlain = 0,
  kSpanEmphasis = 1u << 0,  // *x* or _x_
  kSpanStrong = 1u << 1,    // **x** or __x__
  kSpanCode = 1u << 2,      // `x`
  kSpanMath = 1u << 3,      // $x$ (text = Unicode rendering, source = LaTeX)
  kSpanLink = 1u << 4,      // [x](url): target in `target`
  kSpanImage = 1u << 5,     // ![alt](path) inside running text: text = "[image: alt]", target = path
  kSpanBreak = 1u << 6,     // a hard line break (<br>, two trailing spaces, "\" at end of line); text = "\n"
  kSpanDisplayMath = 1u << 7,  // $$x$$ written inside a paragraph (also has kSpanMath)
  // A formula is one span per script level (math_text.h: MathPiece). These mark the pieces:
  kSpanSub = 1u << 8,            // drawn smaller and lowered (ε_θ: the θ)
  kSpanSup = 1u << 9,            // drawn smaller and raised
  kSpanScriptScript = 1u << 10,  // a script inside a script: smaller still
  kSpanMathJoin = 1u << 11,      // continues the formula of the span before it (no line break between)
};

struct Span {
  std::string text;  // what to draw (UTF-8): tags stripped, entities decoded, math converted
  uint32_t style = kSpanPlain;
  std::string source;  // kSpanMath (first piece of a formula): the LaTeX as written
  std::string target;  // kSpanLink: URL; kSpanImage: path as written; kSpanMath (first piece of a
                       // formula): the formula as one line of text (MathText::text), for plain_text
};

using InlineText = std::vector<Span>;

// A problem found while reading inline text, at a line relative to the first line of the text (0-based).
struct InlineIssue {
  int line_offset = 0;
  bool error = false;
  std::string message;
};

// Parses inline Markdown. Newlines inside `text` are soft breaks (drawn as spaces) unless hard.
// Inline HTML tags are removed (their text kept), <br> becomes a break, &amp; &lt; … are decoded.
InlineText parse_inline(std::string_view text, std::vector<InlineIssue>* issues = nullptr);

// The spans' text joined (math in Unicode, images as "[image: alt]"), for titles, tests and search.
// A formula comes back as MathText::text writes it: xₜ, ε_θ, 𝔼_(t,x₀,ε).
std::string plain_text(const InlineText& spans);

struct MathText;
// A converted formula as spans: one per MathPiece, each with `style` | kSpanMath and its script flags, all
// but the first with kSpanMathJoin; `source` and `target` (the one-line text) on the first one only. A "\\"
// line break becomes a kSpanBreak span and the next line starts without kSpanMathJoin.
InlineText math_spans(const MathText& math, const std::string& source, uint32_t style);

// The script marks of a formula piece's style, as plot/scripted_text.h's script_placement reads them: ""
// on the baseline, "_" or "^" for a script, two marks for a script inside a script (the flags keep only
// the innermost direction, so both marks are that one: "__" or "^^").
std::string span_scripts(uint32_t style);

// A formula's source for a message: at most 80 bytes, cut at a code point, "…" when cut.
std::string shortened_source(const std::string& source);

// What looks like LaTeX the reader would see as written: a \command, x_t, x^2 or _{ in running text
// (not code, links or math), or a "_", "^" or "\" left in converted math. One message per finding, with
// the offending text, for `lessons check` (empty when clean).
std::vector<std::string> unrendered_latex(const InlineText& spans);

// Strips HTML tags from a line and decodes entities; <br> becomes "\n". Never fails on bad HTML.
std::string strip_html(std::string_view text);
std::string decode_html_entities(std::string_view text);

// Marp reads size and filter keywords in an image's alt text ("width:700", "bg", "contain", …);
// this returns what is left, the alt text a reader should see.
std::string image_alt_without_marp_keywords(std::string_view alt);

}  // namespace difflab

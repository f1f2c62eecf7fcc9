// math_text.cpp — LaTeX math to one line of Unicode, by recursive descent over TeX tokens.
// Not a renderer: the UI draws the resulting string with an ordinary font.
#include "lessons/math_text.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "core/limits.h"

namespace difflab {
namespace {

// Length in bytes of the UTF-8 sequence starting with byte b (1 for invalid bytes, so we always advance).
size_t utf8_length(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b >> 5) == 0x6) return 2;
  if ((b >> 4) == 0xE) return 3;
  if ((b >> 3) == 0x1E) return 4;
  return 1;
}

char32_t decode(std::string_view s, size_t i, size_t* len) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = utf8_length(b);
  if (i + n > s.size()) n = 1;
  *len = n;
  if (n == 1) return b;
  char32_t c = b & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return c;
}

std::vector<std::string> split_code_points(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 0;
    decode(s, i, &n);
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

bool is_combining(char32_t c) {
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x20D0 && c <= 0x20FF);
}

// Inside the converter a script with no Unicode form is kept between private-use markers; run() turns
// them into MathText::pieces (drawn smaller, lowered or raised) and into the "_θ" / "^(…)" of `text`.
// Characters U+E000–U+E002 in the input are dropped, so the markers always pair up.
constexpr char32_t kSubOpen = 0xE000, kSupOpen = 0xE001, kScriptClose = 0xE002;
const std::string kSubOpenUtf8 = "\xEE\x80\x80", kSupOpenUtf8 = "\xEE\x80\x81",
                  kScriptCloseUtf8 = "\xEE\x80\x82";

bool is_marker(char32_t c) {
  return c == kSubOpen || c == kSupOpen || c == kScriptClose;
}

std::string without_markers(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = 0;
    const char32_t c = decode(s, i, &n);
    if (!is_marker(c)) out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

// Unicode's sub- and superscript forms (Superscripts and Subscripts block, Phonetic Extensions).
const std::unordered_map<std::string, std::string>& subscripts() {
  static const std::unordered_map<std::string, std::string> table = {
      {"0", "₀"}, {"1", "₁"}, {"2", "₂"}, {"3", "₃"}, {"4", "₄"}, {"5", "₅"}, {"6", "₆"}, {"7", "₇"},
      {"8", "₈"}, {"9", "₉"}, {"+", "₊"}, {"-", "₋"}, {"−", "₋"}, {"=", "₌"}, {"(", "₍"}, {")", "₎"},
      {"a", "ₐ"}, {"e", "ₑ"}, {"h", "ₕ"}, {"i", "ᵢ"}, {"j", "ⱼ"}, {"k", "ₖ"}, {"l", "ₗ"}, {"m", "ₘ"},
      {"n", "ₙ"}, {"o", "ₒ"}, {"p", "ₚ"}, {"r", "ᵣ"}, {"s", "ₛ"}, {"t", "ₜ"}, {"u", "ᵤ"}, {"v", "ᵥ"},
      {"x", "ₓ"}, {"β", "ᵦ"}, {"γ", "ᵧ"}, {"ρ", "ᵨ"}, {"φ", "ᵩ"}, {"χ", "ᵪ"}};
  return table;
}

const std::unordered_map<std::string, std::string>& superscripts() {
  static const std::unordered_map<std::string, std::string> table = {
      {"0", "⁰"}, {"1", "¹"}, {"2", "²"}, {"3", "³"}, {"4", "⁴"}, {"5", "⁵"}, {"6", "⁶"}, {"7", "⁷"},
      {"8", "⁸"}, {"9", "⁹"}, {"+", "⁺"}, {"-", "⁻"}, {"−", "⁻"}, {"=", "⁼"}, {"(", "⁽"}, {")", "⁾"},
      {"a", "ᵃ"}, {"b", "ᵇ"}, {"c", "ᶜ"}, {"d", "ᵈ"}, {"e", "ᵉ"}, {"f", "ᶠ"}, {"g", "ᵍ"}, {"h", "ʰ"},
      {"i", "ⁱ"}, {"j", "ʲ"}, {"k", "ᵏ"}, {"l", "ˡ"}, {"m", "ᵐ"}, {"n", "ⁿ"}, {"o", "ᵒ"}, {"p", "ᵖ"},
      {"r", "ʳ"}, {"s", "ˢ"}, {"t", "ᵗ"}, {"u", "ᵘ"}, {"v", "ᵛ"}, {"w", "ʷ"}, {"x", "ˣ"}, {"y", "ʸ"},
      {"z", "ᶻ"}, {"A", "ᴬ"}, {"B", "ᴮ"}, {"D", "ᴰ"}, {"E", "ᴱ"}, {"G", "ᴳ"}, {"H", "ᴴ"}, {"I", "ᴵ"},
      {"J", "ᴶ"}, {"K", "ᴷ"}, {"L", "ᴸ"}, {"M", "ᴹ"}, {"N", "ᴺ"}, {"O", "ᴼ"}, {"P", "ᴾ"}, {"R", "ᴿ"},
      {"T", "ᵀ"}, {"U", "ᵁ"}, {"V", "ⱽ"}, {"W", "ᵂ"}, {"β", "ᵝ"}, {"γ", "ᵞ"}, {"δ", "ᵟ"}, {"θ", "ᶿ"},
      {"φ", "ᵠ"}, {"χ", "ᵡ"}, {"ε", "ᵋ"}, {"*", "*"}, {"∗", "*"}, {"′", "′"}, {"⊤", "ᵀ"}};
  return table;
}

// Symbols that stand alone: Greek letters, big operators, relations, arrows.
const std::unordered_map<std::string, std::string>& symbols() {
  static const std::unordered_map<std::string, std::string> table = {{"alpha", "α"},
                                                                     {"beta", "β"},
                                                                     {"gamma", "γ"},
                                                                     {"delta", "δ"},
                                                                     {"epsilon", "ε"},
                                                                     {"varepsilon", "ε"},
                                                                     {"zeta", "ζ"},
                                                                     {"eta", "η"},
                                                                     {"theta", "θ"},
                                                                     {"vartheta", "ϑ"},
                                                                     {"iota", "ι"},
                                                                     {"kappa", "κ"},
                                                                     {"lambda", "λ"},
                                                                     {"mu", "μ"},
                                                                     {"nu", "ν"},
                                                                     {"xi", "ξ"},
                                                                     {"pi", "π"},
                                                                     {"rho", "ρ"},
                                                                     {"varrho", "ϱ"},
                                                                     {"sigma", "σ"},
                                                                     {"varsigma", "ς"},
                                                                     {"tau", "τ"},
                                                                     {"upsilon", "υ"},
                                                                     {"phi", "φ"},
                                                                     {"varphi", "φ"},
                                                                     {"chi", "χ"},
                                                                     {"psi", "ψ"},
                                                                     {"omega", "ω"},
                                                                     {"Gamma", "Γ"},
                                                                     {"Delta", "Δ"},
                                                                     {"Theta", "Θ"},
                                                                     {"Lambda", "Λ"},
                                                                     {"Xi", "Ξ"},
                                                                     {"Pi", "Π"},
                                                                     {"Sigma", "Σ"},
                                                                     {"Upsilon", "Υ"},
                                                                     {"Phi", "Φ"},
                                                                     {"Psi", "Ψ"},
                                                                     {"Omega", "Ω"},
                                                                     {"sum", "Σ"},
                                                                     {"prod", "∏"},
                                                                     {"coprod", "∐"},
                                                                     {"int", "∫"},
                                                                     {"iint", "∬"},
                                                                     {"oint", "∮"},
                                                                     {"nabla", "∇"},
                                                                     {"partial", "∂"},
                                                                     {"infty", "∞"},
                                                                     {"emptyset", "∅"},
                                                                     {"varnothing", "∅"},
                                                                     {"ell", "ℓ"},
                                                                     {"hbar", "ℏ"},
                                                                     {"forall", "∀"},
                                                                     {"exists", "∃"},
                                                                     {"neg", "¬"},
                                                                     {"lnot", "¬"},
                                                                     {"le", "≤"},
                                                                     {"leq", "≤"},
                                                                     {"ge", "≥"},
                                                                     {"geq", "≥"},
                                                                     {"ne", "≠"},
                                                                     {"neq", "≠"},
                                                                     {"ll", "≪"},
                                                                     {"gg", "≫"},
                                                                     {"approx", "≈"},
                                                                     {"sim", "∼"},
                                                                     {"simeq", "≃"},
                                                                     {"cong", "≅"},
                                                                     {"equiv", "≡"},
                                                                     {"propto", "∝"},
                                                                     {"coloneqq", "≔"},
                                                                     {"triangleq", "≜"},
                                                                     {"doteq", "≐"},
                                                                     {"in", "∈"},
                                                                     {"notin", "∉"},
                                                                     {"ni", "∋"},
                                                                     {"subset", "⊂"},
                                                                     {"subseteq", "⊆"},
                                                                     {"supset", "⊃"},
                                                                     {"supseteq", "⊇"},
                                                                     {"cup", "∪"},
                                                                     {"cap", "∩"},
                                                                     {"setminus", "∖"},
                                                                     {"land", "∧"},
                                                                     {"wedge", "∧"},
                                                                     {"lor", "∨"},
                                                                     {"vee", "∨"},
                                                                     {"cdot", "·"},
                                                                     {"cdots", "⋯"},
                                                                     {"ldots", "…"},
                                                                     {"dots", "…"},
                                                                     {"dotsc", "…"},
                                                                     {"dotsb", "⋯"},
                                                                     {"vdots", "⋮"},
                                                                     {"ddots", "⋱"},
                                                                     {"times", "×"},
                                                                     {"div", "÷"},
                                                                     {"pm", "±"},
                                                                     {"mp", "∓"},
                                                                     {"ast", "∗"},
                                                                     {"star", "⋆"},
                                                                     {"circ", "∘"},
                                                                     {"bullet", "•"},
                                                                     {"odot", "⊙"},
                                                                     {"otimes", "⊗"},
                                                                     {"oplus", "⊕"},
                                                                     {"top", "⊤"},
                                                                     {"intercal", "⊤"},
                                                                     {"bot", "⊥"},
                                                                     {"perp", "⊥"},
                                                                     {"prime", "′"},
                                                                     {"to", "→"},
                                                                     {"rightarrow", "→"},
                                                                     {"leftarrow", "←"},
                                                                     {"gets", "←"},
                                                                     {"leftrightarrow", "↔"},
                                                                     {"Rightarrow", "⇒"},
                                                                     {"Leftarrow", "⇐"},
                                                                     {"Leftrightarrow", "⇔"},
                                                                     {"implies", "⇒"},
                                                                     {"iff", "⇔"},
                                                                     {"mapsto", "↦"},
                                                                     {"longrightarrow", "⟶"},
                                                                     {"longleftarrow", "⟵"},
                                                                     {"uparrow", "↑"},
                                                                     {"downarrow", "↓"},
                                                                     {"mid", "|"},
                                                                     {"vert", "|"},
                                                                     {"lvert", "|"},
                                                                     {"rvert", "|"},
                                                                     {"Vert", "‖"},
                                                                     {"lVert", "‖"},
                                                                     {"rVert", "‖"},
                                                                     {"parallel", "‖"},
                                                                     {"langle", "⟨"},
                                                                     {"rangle", "⟩"},
                                                                     {"lceil", "⌈"},
                                                                     {"rceil", "⌉"},
                                                                     {"lfloor", "⌊"},
                                                                     {"rfloor", "⌋"},
                                                                     {"lbrace", "{"},
                                                                     {"rbrace", "}"},
                                                                     {"quad", " "},
                                                                     {"qquad", " "},
                                                                     {"enspace", " "},
                                                                     {"thinspace", " "}};
  return table;
}

// Operator names written upright in TeX: they keep their name.
bool is_operator_name(const std::string& name) {
  static const char* const kNames[] = {
      "log",  "ln",   "exp", "min",    "max",    "arg", "argmin", "argmax", "sin",    "cos", "tan",   "tanh",
      "sinh", "cosh", "lim", "liminf", "limsup", "sup", "inf",    "det",    "dim",    "ker", "Pr",    "deg",
      "gcd",  "lg",   "mod", "sec",    "csc",    "cot", "arcsin", "arccos", "arctan", "hom", "trace", "tr"};
  for (const char* n : kNames)
    if (name == n) return true;
  return false;
}

// Commands that change only the looks of what follows (or nothing we can show): dropped.
bool is_ignored(const std::string& name) {
  static const char* const kNames[] = {"left",         "right",     "big",         "Big",
                                       "bigg",         "Bigg",      "bigl",        "bigr",
                                       "Bigl",         "Bigr",      "biggl",       "biggr",
                                       "Biggl",        "Biggr",     "limits",      "nolimits",
                                       "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle",
                                       "nonumber",     "notag",     "middle",      "mathstrut",
                                       "strut",        "allowbreak"};
  for (const char* n : kNames)
    if (name == n) return true;
  return false;
}

char32_t combining_accent(const std::string& name) {
  if (name == "bar" || name == "overline") return 0x0304;
  if (name == "hat" || name == "widehat") return 0x0302;
  if (name == "tilde" || name == "widetilde") return 0x0303;
  if (name == "dot") return 0x0307;
  if (name == "ddot") return 0x0308;
  if (name == "vec" || name == "overrightarrow") return 0x20D7;
  if (name == "check") return 0x030C;
  if (name == "breve") return 0x0306;
  if (name == "acute") return 0x0301;
  if (name == "grave") return 0x0300;
  if (name == "underline") return 0x0332;
  return 0;
}

// \mathcal and \mathbb: Mathematical Alphanumeric Symbols, with the letters that live in the BMP.
std::string script_letter(char c) {
  switch (c) {
    case 'B':
      return "ℬ";
    case 'E':
      return "ℰ";
    case 'F':
      return "ℱ";
    case 'H':
      return "ℋ";
    case 'I':
      return "ℐ";
    case 'L':
      return "ℒ";
    case 'M':
      return "ℳ";
    case 'R':
      return "ℛ";
    case 'e':
      return "ℯ";
    case 'g':
      return "ℊ";
    case 'o':
      return "ℴ";
    default:
      break;
  }
  if (c >= 'A' && c <= 'Z') return encode_utf8(0x1D49C + (c - 'A'));
  if (c >= 'a' && c <= 'z') return encode_utf8(0x1D4B6 + (c - 'a'));
  return std::string(1, c);
}

std::string double_struck_letter(char c) {
  switch (c) {
    case 'C':
      return "ℂ";
    case 'H':
      return "ℍ";
    case 'N':
      return "ℕ";
    case 'P':
      return "ℙ";
    case 'Q':
      return "ℚ";
    case 'R':
      return "ℝ";
    case 'Z':
      return "ℤ";
    default:
      break;
  }
  if (c >= 'A' && c <= 'Z') return encode_utf8(0x1D538 + (c - 'A'));
  if (c >= 'a' && c <= 'z') return encode_utf8(0x1D552 + (c - 'a'));
  if (c >= '0' && c <= '9') return encode_utf8(0x1D7D8 + (c - '0'));
  return std::string(1, c);
}

std::string map_ascii(const std::string& s, std::string (*f)(char)) {
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x80) ? f(c) : std::string(1, c);
  return out;
}

std::string remove_spaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ') out += c;
  return out;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// True when s reads as one unit: letters, digits, their accents and scripts (so "x_t" or "√" need no
// brackets).
bool is_word(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size();) {
    size_t n = 0;
    const char32_t c = decode(s, i, &n);
    i += n;
    const bool ascii_alnum = c < 0x80 && std::isalnum(static_cast<int>(c));
    const bool letter_like = (c >= 0x370 && c <= 0x3FF) || is_combining(c) || (c >= 0x1D00 && c <= 0x1DBF) ||
                             (c >= 0x2070 && c <= 0x209F) || (c >= 0x2100 && c <= 0x214F) ||
                             (c >= 0x1D400 && c <= 0x1D7FF) || c == 0xB2 || c == 0xB3 || c == 0xB9;
    if (!ascii_alnum && !letter_like) return false;
  }
  return true;
}

// s in Unicode's sub- or superscript characters, or "" when one of its characters has none.
std::string mapped_script(const std::string& s, bool sub) {
  const auto& table = sub ? subscripts() : superscripts();
  std::string mapped;
  for (const std::string& cp : split_code_points(s)) {
    auto it = table.find(cp);
    if (it == table.end()) return "";
    mapped += it->second;
  }
  return mapped;
}

// True when s must be bracketed as the argument of √ or a side of a fraction: an operator or a space
// outside any brackets it already has.
bool needs_brackets(const std::string& s) {
  int depth = 0;
  static const char* const kOperators[] = {" ", "+", "−", "-", "=", ",", "·", "×", "/", "<", ">",
                                           "≤", "≥", "≈", "∼", ":", "|", "±", "→", "←", "∝"};
  for (const std::string& cp : split_code_points(s)) {
    if (cp == "(" || cp == "[" || cp == "{" || cp == "⟨" || cp == kSubOpenUtf8 || cp == kSupOpenUtf8)
      ++depth;
    else if (cp == ")" || cp == "]" || cp == "}" || cp == "⟩" || cp == kScriptCloseUtf8)
      --depth;
    else if (depth == 0)
      for (const char* op : kOperators)
        if (cp == op) return true;
  }
  return false;
}

// True when s reads as one factor after "/": a number, one symbol with its accents and scripts (αₜ, x̂₀,
// ε_θ(x)), a root of one (√αₜ) or of a bracket, a bracketed group, or a differential (dt, ∂x).
bool is_single_factor(const std::string& s) {
  const std::vector<std::string> cps = split_code_points(s);
  if (cps.empty()) return true;
  size_t i = 0;
  while (i < cps.size() && cps[i] == "√") ++i;
  if (i == cps.size()) return false;
  auto is_digit = [](const std::string& cp) {
    return cp.size() == 1 && (std::isdigit(static_cast<unsigned char>(cp[0])) || cp[0] == '.');
  };
  auto is_open = [](const std::string& cp) { return cp == "(" || cp == "[" || cp == "{" || cp == "⟨"; };
  auto is_close = [](const std::string& cp) { return cp == ")" || cp == "]" || cp == "}" || cp == "⟩"; };
  // A bracket group: everything up to its matching close.
  auto skip_group = [&](size_t at) {
    int depth = 0;
    for (size_t k = at; k < cps.size(); ++k) {
      if (is_open(cps[k])) ++depth;
      if (is_close(cps[k]) && --depth == 0) return k + 1;
    }
    return cps.size() + 1;  // unbalanced
  };
  // Scripts, combining marks and primes after a base.
  auto skip_decorations = [&](size_t at) {
    while (at < cps.size()) {
      const std::string& cp = cps[at];
      if (cp == kSubOpenUtf8 || cp == kSupOpenUtf8) {
        int depth = 0;
        size_t k = at;
        for (; k < cps.size(); ++k) {
          if (cps[k] == kSubOpenUtf8 || cps[k] == kSupOpenUtf8) ++depth;
          if (cps[k] == kScriptCloseUtf8 && --depth == 0) break;
        }
        at = k + 1;
        continue;
      }
      size_t length = 0;
      const char32_t c = decode(cp, 0, &length);
      const bool mark = is_combining(c);
      const bool script_char = !is_digit(cp) && ((c >= 0x2070 && c <= 0x209F) || c == 0xB2 || c == 0xB3 ||
                                                 c == 0xB9 || (c >= 0x1D2C && c <= 0x1D6A) || c == 0x2032);
      if (!mark && !script_char) break;
      ++at;
    }
    return at;
  };
  if (is_open(cps[i])) {
    i = skip_group(i);
    return skip_decorations(std::min(i, cps.size())) == cps.size() && i <= cps.size();
  }
  if (is_digit(cps[i])) {
    while (i < cps.size() && is_digit(cps[i])) ++i;
    return skip_decorations(i) == cps.size();
  }
  const bool differential = (cps[i] == "d" || cps[i] == "∂") && cps.size() - i >= 2;
  i = skip_decorations(i + 1);
  if (differential && i < cps.size() && !is_open(cps[i]) && !is_digit(cps[i])) i = skip_decorations(i + 1);
  if (i < cps.size() && is_open(cps[i])) i = skip_group(i);  // a function's argument: p(x)
  return i == cps.size();
}

class Converter {
 public:
  explicit Converter(std::string_view src) : clean_(without_markers(src)), src_(clean_) {}

  MathText run() {
    std::string text = sequence(false);
    // Collapse runs of spaces (TeX ignores them; we keep one where the author wrote one).
    std::string collapsed;
    for (char c : text) {
      if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ' || collapsed.back() == '\n')) continue;
      if (c == '\n' && !collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
      collapsed += c;
    }
    collapsed = trim(collapsed);
    MathText out;
    out.text = fallback_text(collapsed);
    out.pieces = pieces(collapsed);
    out.warnings = std::move(warnings_);
    out.errors = std::move(errors_);
    return out;
  }

  // The markers written as "_x" / "^x", or "_(…)" when the script is not a single word (innermost first).
  static std::string fallback_text(const std::string& marked) {
    std::string out;
    std::vector<std::pair<size_t, bool>> open;  // where each open script's text starts, and whether sub
    for (size_t i = 0; i < marked.size();) {
      size_t n = 0;
      const char32_t c = decode(marked, i, &n);
      if (c == kSubOpen || c == kSupOpen) {
        open.emplace_back(out.size(), c == kSubOpen);
      } else if (c == kScriptClose && !open.empty()) {
        const auto [at, sub] = open.back();
        open.pop_back();
        const std::string content = out.substr(at);
        out.resize(at);
        const std::string compact = remove_spaces(content);
        const std::string mapped = mapped_script(compact, sub);
        if (!mapped.empty()) {
          out += mapped;  // xₜ, x², ∏ₜ₌₁ᵀ
        } else {
          const bool bare = is_word(compact) || split_code_points(compact).size() == 1;
          out += sub ? "_" : "^";
          out += bare ? content : "(" + content + ")";
        }
      } else if (!is_marker(c)) {
        out.append(marked, i, n);
      }
      i += n;
    }
    return out;
  }

  // The marked text cut into runs of one script level.
  static std::vector<MathPiece> pieces(const std::string& marked) {
    std::vector<MathPiece> out;
    std::string scripts, current;
    auto flush = [&]() {
      if (!current.empty()) out.push_back(MathPiece{current, scripts});
      current.clear();
    };
    for (size_t i = 0; i < marked.size();) {
      size_t n = 0;
      const char32_t c = decode(marked, i, &n);
      if (c == kSubOpen || c == kSupOpen) {
        flush();
        scripts += c == kSubOpen ? '_' : '^';
      } else if (c == kScriptClose) {
        flush();
        if (!scripts.empty()) scripts.pop_back();
      } else {
        current.append(marked, i, n);
      }
      i += n;
    }
    flush();
    return out;
  }

 private:
  bool at_end() const { return pos_ >= src_.size(); }
  char peek() const { return at_end() ? '\0' : src_[pos_]; }
  void skip_spaces() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
  }
  void warn(std::string message) {
    for (const std::string& w : warnings_)
      if (w == message) return;
    warnings_.push_back(std::move(message));
  }

  // Everything up to the end of the input, or to the '}' that closes the current group.
  std::string sequence(bool in_group) {
    std::string out;
    while (!at_end()) {
      const char c = peek();
      if (c == '}') {
        ++pos_;
        if (in_group) return out;
        warn("unmatched '}'");
        continue;
      }
      if (c == '_' || c == '^') {
        ++pos_;
        out += script(argument(), c == '_');
        continue;
      }
      out += atom();
    }
    if (in_group) warn("missing '}'");
    return out;
  }

  // The argument of a command or a script: {group}, one command with its own arguments, or one character.
  std::string argument() {
    skip_spaces();
    if (at_end()) {
      warn("missing argument at the end of the formula");
      return "";
    }
    if (peek() == '}') {
      warn("missing argument before '}'");
      return "";
    }
    return atom();
  }

  // The raw text of a {…} argument, without converting it (for \text, \operatorname, \begin).
  std::string raw_group() {
    skip_spaces();
    if (peek() != '{') {
      if (at_end()) return "";
      size_t n = utf8_length(static_cast<unsigned char>(peek()));
      std::string s(src_.substr(pos_, n));
      pos_ += n;
      return s;
    }
    ++pos_;
    int depth = 1;
    std::string out;
    while (!at_end()) {
      char c = src_[pos_++];
      if (c == '\\' && !at_end()) {
        char next = src_[pos_++];
        out += (next == '{' || next == '}' || next == '_' || next == '%' || next == '$' || next == '&' ||
                next == '#')
                   ? std::string(1, next)
                   : (next == ' ' ? std::string(" ") : std::string{'\\', next});
        continue;
      }
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) return out;
      out += c;
    }
    warn("missing '}'");
    return out;
  }

  // Every recursion (groups, command arguments, scripts) passes through here: the depth bound lives here.
  std::string atom() {
    if (depth_ >= limits::kMaxMathNesting) {
      errors_.push_back("formula nested more than " + std::to_string(limits::kMaxMathNesting) +
                        " levels deep (limits::kMaxMathNesting); the rest of it is not shown");
      pos_ = src_.size();
      return "";
    }
    ++depth_;
    std::string out = atom_at_depth();
    --depth_;
    return out;
  }

  std::string atom_at_depth() {
    const char c = peek();
    if (c == '{') {
      ++pos_;
      return sequence(true);
    }
    if (c == '\\') return command();
    if (std::isspace(static_cast<unsigned char>(c))) {
      skip_spaces();
      return " ";
    }
    ++pos_;
    switch (c) {
      case '-':
        return "−";
      case '\'':
        return "′";
      case '~':
        return " ";
      case '&':
        return " ";
      case '*':
        return "*";
      default:
        break;
    }
    size_t n = 0;
    const char32_t cp = decode(src_, pos_ - 1, &n);
    std::string s(src_.substr(pos_ - 1, n));
    pos_ += n - 1;
    return is_marker(cp) ? std::string() : s;
  }

  std::string command() {
    ++pos_;  // the backslash
    if (at_end()) {
      warn("lone '\\' at the end of the formula");
      return "";
    }
    if (!std::isalpha(static_cast<unsigned char>(peek()))) {
      const char c = src_[pos_++];
      switch (c) {
        case '|':
          return "‖";
        case ',':
        case ':':
        case ';':
        case ' ':
        case '>':
          return " ";
        case '!':
          return "";
        case '\\':
          return "\n";
        case '{':
        case '}':
        case '_':
        case '%':
        case '$':
        case '#':
        case '&':
          return std::string(1, c);
        default:
          return std::string(1, c);
      }
    }
    std::string name;
    while (!at_end() && std::isalpha(static_cast<unsigned char>(peek()))) name += src_[pos_++];

    if (auto it = symbols().find(name); it != symbols().end()) return it->second;
    if (is_operator_name(name)) return name;
    if (name == "left" || name == "right" || name == "middle" || name.rfind("big", 0) == 0 ||
        name.rfind("Big", 0) == 0) {
      skip_spaces();
      if (peek() == '.') ++pos_;  // \left. and \right. are invisible
      return "";
    }
    if (is_ignored(name)) return "";
    if (char32_t accent = combining_accent(name)) return accented(argument(), accent);
    if (name == "mathcal" || name == "mathscr") return map_ascii(argument(), script_letter);
    if (name == "mathbb") return map_ascii(argument(), double_struck_letter);
    if (name == "mathbf" || name == "boldsymbol" || name == "bm" || name == "mathit" || name == "mathsf" ||
        name == "mathrm" || name == "mathnormal" || name == "mathtt" || name == "mathop" ||
        name == "mathbin" || name == "mathrel" || name == "boxed" || name == "pmb")
      return argument();
    if (name == "text" || name == "textrm" || name == "textbf" || name == "textit" || name == "textsf" ||
        name == "texttt" || name == "mbox" || name == "operatorname" || name == "textnormal")
      return raw_group();
    if (name == "sqrt") return square_root();
    if (name == "frac" || name == "dfrac" || name == "tfrac" || name == "cfrac") {
      // Flattened to a/b, which binds like the printed fraction only with brackets: around a numerator or
      // denominator of more than one factor ("(1−ᾱₜ₋₁)/(1−ᾱₜ)", "a/(2σ²)") and around the whole fraction
      // when a factor follows it ("(βₜ/√(1−ᾱₜ)) ε_θ", not βₜ/√(1−ᾱₜ) ε_θ, read as βₜ/(√(1−ᾱₜ) ε_θ)).
      std::string num = trim(argument()), den = trim(argument());
      std::string flat = (needs_brackets(num) ? "(" + num + ")" : num) + "/" +
                         (needs_brackets(den) || !is_single_factor(den) ? "(" + den + ")" : den);
      return followed_by_factor() ? "(" + flat + ")" : flat;
    }
    if (name == "binom" || name == "dbinom") {
      std::string n = trim(argument()), k = trim(argument());
      return "C(" + n + ", " + k + ")";
    }
    if (name == "overset" || name == "stackrel") {
      std::string over = trim(argument()), base = argument();
      return base + script(over, false);
    }
    if (name == "underset") {
      std::string under = trim(argument()), base = argument();
      return base + script(under, true);
    }
    if (name == "underbrace" || name == "overbrace") return argument();
    if (name == "textcolor") {
      raw_group();
      return argument();
    }
    if (name == "color" || name == "label") {
      raw_group();
      return "";
    }
    if (name == "tag") return "  (" + raw_group() + ")";
    if (name == "begin" || name == "end") {
      raw_group();
      return " ";
    }
    if (name == "not") {
      std::string next = argument();
      if (next == "=") return "≠";
      if (next == "∈") return "∉";
      return accented(next, 0x0338);
    }
    warn("unknown LaTeX command \\" + name);
    return name;
  }

  // True when what follows (after thin spaces) multiplies the term just read: a letter, a digit, a bracket or
  // a command that is not a relation, an operator, a wide space or the end of a group.
  bool followed_by_factor() const {
    size_t p = pos_;
    while (p < src_.size()) {
      if (src_[p] == ' ' || src_[p] == '\t' || src_[p] == '\n') {
        ++p;
      } else if (src_[p] == '\\' && p + 1 < src_.size() &&
                 (src_[p + 1] == ',' || src_[p + 1] == ';' || src_[p + 1] == ':' || src_[p + 1] == '!' ||
                  src_[p + 1] == ' ')) {
        p += 2;
      } else {
        break;
      }
    }
    if (p >= src_.size()) return false;
    const auto c = static_cast<unsigned char>(src_[p]);
    if (std::isalnum(c) || c == '(' || c == '[' || c >= 0x80) return true;
    if (c != '\\') return false;
    size_t e = p + 1;
    while (e < src_.size() && std::isalpha(static_cast<unsigned char>(src_[e]))) ++e;
    const std::string_view next = src_.substr(p + 1, e - p - 1);
    if (next.empty())
      return src_.substr(p, 2) == "\\{";  // \{ opens a set; \\, \| and the like do not multiply
    static const char* const kNotFactors[] = {
        "right",  "quad",  "qquad",  "cdot",  "times",      "le",        "leq",        "ge",     "geq",
        "approx", "sim",   "propto", "to",    "rightarrow", "leftarrow", "Rightarrow", "end",    "pm",
        "mp",     "in",    "ne",     "neq",   "equiv",      "mid",       "tag",        "label",  "ldots",
        "dots",   "cdots", "ll",     "gg",    "coloneqq",   "simeq",     "cong",       "mapsto", "div",
        "bigr",   "Bigr",  "rangle", "rvert", "rVert",      "middle"};
    for (const char* word : kNotFactors)
      if (next == word) return false;
    return true;
  }

  std::string square_root() {
    skip_spaces();
    std::string index;
    if (peek() == '[') {
      ++pos_;
      while (!at_end() && peek() != ']') index += src_[pos_++];
      if (at_end())
        warn("missing ']' in \\sqrt[…]");
      else
        ++pos_;
    }
    std::string radicand = trim(argument());
    std::string sign = "√";
    if (index == "3")
      sign = "∛";
    else if (index == "4")
      sign = "∜";
    else if (!index.empty())
      sign = script(index, false) + "√";
    return sign + (needs_brackets(radicand) || radicand.empty() ? "(" + radicand + ")" : radicand);
  }

  // Puts the combining mark after each character cluster of s (x̂, ᾱ; for longer text, on every letter).
  static std::string accented(const std::string& s, char32_t accent) {
    std::string out;
    const std::vector<std::string> cps = split_code_points(trim(s));
    int in_script = 0;  // letters of a script (x̂_θ) are not accented, only the base
    for (size_t k = 0; k < cps.size(); ++k) {
      out += cps[k];
      size_t n = 0;
      const char32_t c = decode(cps[k], 0, &n);
      if (c == kSubOpen || c == kSupOpen) ++in_script;
      if (c == kScriptClose && in_script > 0) --in_script;
      if (is_marker(c) || in_script > 0) continue;
      const bool next_is_combining = k + 1 < cps.size() && is_combining(decode(cps[k + 1], 0, &n));
      if (!next_is_combining && cps[k] != " ") out += encode_utf8(accent);
    }
    return out;
  }

  // x_t → xₜ when every character has a subscript form; else "_θ" or "_(1:T)".
  // Every script becomes a marked run (a piece drawn smaller and lowered or raised: Unicode's ₜ and ² are
  // too small on a projector); `text` gets Unicode's sub/superscript characters where every character has
  // one.
  std::string script(const std::string& text, bool sub) {
    const std::string compact = remove_spaces(text);
    if (compact.empty()) return "";
    const bool bare =
        is_word(compact) || split_code_points(compact).size() == 1 || !mapped_script(compact, sub).empty();
    return (sub ? kSubOpenUtf8 : kSupOpenUtf8) + (bare ? compact : trim(text)) + kScriptCloseUtf8;
  }

  std::string clean_;  // the input without U+E000–U+E002
  std::string_view src_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::vector<std::string> warnings_, errors_;
};

}  // namespace

MathText latex_to_unicode(std::string_view latex) {
  if (latex.size() > limits::kMaxFormulaBytes) {
    MathText m;
    m.errors.push_back("a formula of " + std::to_string(latex.size()) + " bytes, more than " +
                       std::to_string(limits::kMaxFormulaBytes >> 10) +
                       " KiB (limits::kMaxFormulaBytes); it is not shown");
    return m;
  }
  return Converter(latex).run();
}

std::string subscript_char(std::string_view utf8_char) {
  auto it = subscripts().find(std::string(utf8_char));
  return it == subscripts().end() ? std::string() : it->second;
}

std::string superscript_char(std::string_view utf8_char) {
  auto it = superscripts().find(std::string(utf8_char));
  return it == superscripts().end() ? std::string() : it->second;
}

std::string to_bmp_text(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t n = 0;
    const char32_t c = decode(text, i, &n);
    if (c >= 0x1D400 && c <= 0x1D7FF) {
      char plain = '?';
      if (c >= 0x1D49C && c <= 0x1D4B5)
        plain = static_cast<char>('A' + (c - 0x1D49C));
      else if (c >= 0x1D4B6 && c <= 0x1D4CF)
        plain = static_cast<char>('a' + (c - 0x1D4B6));
      else if (c >= 0x1D538 && c <= 0x1D551)
        plain = static_cast<char>('A' + (c - 0x1D538));
      else if (c >= 0x1D552 && c <= 0x1D56B)
        plain = static_cast<char>('a' + (c - 0x1D552));
      else if (c >= 0x1D7D8 && c <= 0x1D7E1)
        plain = static_cast<char>('0' + (c - 0x1D7D8));
      out += plain;
    } else if (c >= 0x10000) {
      out += '?';
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string encode_utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x110000) {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

}  // namespace difflab

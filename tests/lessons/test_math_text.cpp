// test_math_text.cpp — LaTeX → Unicode on formulas from the course slides, with expected strings written
// by hand from how the course prints them. Not a test of the lesson parser.
#include <doctest/doctest.h>

#include "core/limits.h"
#include "lessons/math_text.h"

using difflab::latex_to_unicode;

namespace {

struct Case {
  const char* latex;
  const char* expected;
};

// ᾱ is α followed by U+0304 (combining macron), x̂ is x + U+0302, β̃ is β + U+0303.
const Case kCourseFormulas[] = {
    {"x_t", "xₜ"},
    {"x_{t-1}", "xₜ₋₁"},
    {"x^2", "x²"},
    {"\\alpha_t", "αₜ"},
    {"\\bar{\\alpha}_t", "α\u0304ₜ"},
    {"\\bar\\alpha_t", "α\u0304ₜ"},
    {"\\epsilon_\\theta", "ε_θ"},
    {"\\varepsilon", "ε"},
    {"\\hat{x}_0", "x\u0302₀"},
    {"\\tilde{\\beta}_t", "β\u0303ₜ"},
    {"\\sqrt{\\alpha_t}", "√αₜ"},
    {"\\sqrt{1-\\beta_t}", "√(1−βₜ)"},
    {"\\theta^*", "θ*"},
    {"p_{\\text{data}}(x)", "p_data(x)"},
    {"p\\_data(x)", "p_data(x)"},
    {"\\epsilon \\sim \\mathcal{N}(0, \\mathbf{I})", "ε ∼ 𝒩(0, I)"},
    {"\\alpha_t = 1 - \\beta_t", "αₜ = 1 − βₜ"},
    {"q(x_{1:T}|x_0) = \\prod_{t=1}^T q(x_t|x_{t-1})", "q(x_(1:T)|x₀) = ∏ₜ₌₁ᵀ q(xₜ|xₜ₋₁)"},
    {"\\bar{\\alpha}_t = \\prod_{i=1}^t \\alpha_i", "α\u0304ₜ = ∏ᵢ₌₁ᵗ αᵢ"},
    {"x_t = \\sqrt{\\alpha_t}x_0 + \\sqrt{1-\\alpha_t}\\epsilon", "xₜ = √αₜx₀ + √(1−αₜ)ε"},
    {"q(x_t|x_{t-1}) = \\mathcal{N}(x_t; \\sqrt{1-\\beta_t}x_{t-1}, \\beta_t\\mathbf{I})",
     "q(xₜ|xₜ₋₁) = 𝒩(xₜ; √(1−βₜ)xₜ₋₁, βₜI)"},
    {"p_\\theta(x_{t-1}|x_t) = \\mathcal{N}(x_{t-1}; \\mu_\\theta(x_t,t), \\Sigma_\\theta(x_t,t))",
     "p_θ(xₜ₋₁|xₜ) = 𝒩(xₜ₋₁; μ_θ(xₜ,t), Σ_θ(xₜ,t))"},
    {"p_\\theta(x_{0:T}) := p(x_T) \\prod_{t=1}^T p_\\theta(x_{t-1}|x_t)",
     "p_θ(x_(0:T)) := p(x_T) ∏ₜ₌₁ᵀ p_θ(xₜ₋₁|xₜ)"},
    {"L_{simple} = \\mathbb{E}_{t,x_0,\\epsilon} [\\|\\epsilon - \\epsilon_\\theta(x_t, t)\\|^2]",
     "Lₛᵢₘₚₗₑ = 𝔼_(t,x₀,ε) [‖ε − ε_θ(xₜ, t)‖²]"},
    {"\\mathbb{E}_{q(x_{0:T})} \\left[ -\\log p(x_T) + \\sum_{t=1}^T L_{t-1} \\right]",
     "𝔼_(q(x_(0:T))) [ −log p(x_T) + Σₜ₌₁ᵀ Lₜ₋₁ ]"},
    {"\\nabla_x \\log p_\\gamma(x|y) = (1-\\gamma)\\nabla_x \\log p(x) + \\gamma\\nabla_x \\log p(x|y)",
     "∇ₓ log pᵧ(x|y) = (1−γ)∇ₓ log p(x) + γ∇ₓ log p(x|y)"},
    {"p_\\gamma(x|y) \\propto p(x) \\cdot p(y|x)^\\gamma", "pᵧ(x|y) ∝ p(x) · p(y|x)ᵞ"},
    {"\\theta^{*} = min \\ D(p\\_data \\ || \\  p\\_{\\theta})", "θ* = min D(p_data || p_θ)"},
    {"X = \\{x_{1}, x_{2}, ..., x_{n}\\}", "X = {x₁, x₂, ..., xₙ}"},
    {"X = \\{x_1, x_2, \\dots, x_n\\}", "X = {x₁, x₂, …, xₙ}"},
    {"L_{null} = \\|\\epsilon - \\epsilon_\\theta(x_t,t,\\emptyset)\\|^2 + \\lambda\\|x_0 - \\hat{x}_0\\|^2",
     "Lₙᵤₗₗ = ‖ε − ε_θ(xₜ,t,∅)‖² + λ‖x₀ − x\u0302₀‖²"},
    {"\\frac{dx}{dt} = f(x, t) + g(t)^2 \\nabla_x \\log p_t(x)", "dx/dt = f(x, t) + g(t)² ∇ₓ log pₜ(x)"},
    {"\\text{DDIM: } \\mathbb{E}[x_{t-1} | x_t, x_0] = \\sqrt{\\alpha_{t-1}} \\hat{x}_0 + \\sqrt{1 - "
     "\\alpha_{t-1}} "
     "\\bar{\\epsilon}_\\theta(x_t, t)",
     "DDIM: 𝔼[xₜ₋₁ | xₜ, x₀] = √αₜ₋₁ x\u0302₀ + √(1 − αₜ₋₁) ε\u0304_θ(xₜ, t)"},
    {"\\mathbf{x}_{t-1} = \\frac{1}{\\sqrt{\\alpha_t}} \\left( \\mathbf{x}_t - \\frac{1 - "
     "\\alpha_t}{\\sqrt{1 - "
     "\\bar{\\alpha}_t}} \\epsilon_{\\theta}(\\mathbf{x}_t, t) \\right) + \\sigma_t \\mathbf{z}",
     "xₜ₋₁ = (1/√αₜ) ( xₜ − ((1 − αₜ)/√(1 − α\u0304ₜ)) ε_θ(xₜ, t) ) + σₜ z"},
    {"\\mathbf{x}_T \\sim \\mathcal{N}(\\mathbf{0}, \\mathbf{I})", "x_T ∼ 𝒩(0, I)"},
    {"\\mathcal{L} = \\mathcal{L}_{rec} + \\beta D_{KL}(q(z | x) || p(z))",
     "ℒ = ℒ_rec + β D_KL(q(z | x) || p(z))"},
    {"t \\sim \\text{Uniform}(\\{1, \\dots, T\\})", "t ∼ Uniform({1, …, T})"},
    {"\\text{Score function: } s_\\theta(x, t) = \\nabla_x \\log p_t(x)",
     "Score function: s_θ(x, t) = ∇ₓ log pₜ(x)"},
};

}  // namespace

TEST_CASE("latex_to_unicode writes the course's formulas as the course prints them") {
  for (const Case& c : kCourseFormulas) {
    CAPTURE(c.latex);
    const difflab::MathText m = latex_to_unicode(c.latex);
    CHECK(m.text == c.expected);
    CHECK(m.warnings.empty());
  }
}

TEST_CASE("latex_to_unicode maps symbols, relations and arrows") {
  CHECK(latex_to_unicode("x \\le y \\ge z \\approx w \\to v \\leftarrow u \\mid s \\times r \\cdot q").text ==
        "x ≤ y ≥ z ≈ w → v ← u | s × r · q");
  CHECK(latex_to_unicode("\\int_0^\\infty \\sum \\prod \\nabla").text == "∫₀^∞ Σ ∏ ∇");
  CHECK(latex_to_unicode("\\operatorname{KL}(q \\| p)").text == "KL(q ‖ p)");
  CHECK(latex_to_unicode("\\left\\| x \\right\\|").text == "‖ x ‖");
  CHECK(latex_to_unicode("\\left. \\frac{a+b}{c} \\right|").text == "(a+b)/c |");
  CHECK(latex_to_unicode("\\sqrt[3]{x}").text == "∛x");
  CHECK(latex_to_unicode("\\Sigma \\sigma \\mu \\beta").text == "Σ σ μ β");
}

TEST_CASE("a script without a Unicode form falls back to _x or _(…) and keeps single words bare") {
  CHECK(latex_to_unicode("\\epsilon_\\theta").text == "ε_θ");
  CHECK(latex_to_unicode("x_{1:T}").text == "x_(1:T)");
  CHECK(latex_to_unicode("D_{KL}").text == "D_KL");
  CHECK(latex_to_unicode("e^{-x^2/2}").text == "e^(−x²/2)");
  CHECK(latex_to_unicode("x_{t - 1}").text == "xₜ₋₁");
}

TEST_CASE("unknown commands and broken groups are readable warnings, never failures") {
  difflab::MathText m = latex_to_unicode("\\foo{x} + 1");
  CHECK(m.text == "foox + 1");
  REQUIRE(m.warnings.size() == 1);
  CHECK(m.warnings[0].find("\\foo") != std::string::npos);

  m = latex_to_unicode("x_{t");
  CHECK(m.text == "xₜ");
  CHECK_FALSE(m.warnings.empty());
  CHECK_FALSE(latex_to_unicode("a}").warnings.empty());
  CHECK_FALSE(latex_to_unicode("x^").warnings.empty());
  CHECK_FALSE(latex_to_unicode("\\frac{a}").warnings.empty());
  CHECK_FALSE(latex_to_unicode("\\").warnings.empty());
  CHECK(latex_to_unicode("").text.empty());
}

TEST_CASE("to_bmp_text replaces mathematical letters outside the BMP by plain ones") {
  CHECK(difflab::to_bmp_text("𝒩(0, I) 𝔼[x] ℒ") == "N(0, I) E[x] ℒ");
  CHECK(difflab::subscript_char("t") == "ₜ");
  CHECK(difflab::superscript_char("T") == "ᵀ");
  CHECK(difflab::subscript_char("θ").empty());
}

namespace {
// The pieces of a formula as "text|scripts" joined by spaces, to compare with one string.
std::string pieces_of(const char* latex) {
  std::string out;
  for (const difflab::MathPiece& p : latex_to_unicode(latex).pieces)
    out += (out.empty() ? "" : " ") + p.text + "|" + p.scripts;
  return out;
}
}  // namespace

TEST_CASE("scripts with no Unicode form become lowered or raised pieces, the rest stays on the baseline") {
  // Every script is a piece (Unicode's ₜ is too small on a projector; θ and T have no subscript at all).
  CHECK(pieces_of("\\epsilon_\\theta(x_t, t)") == "ε| θ|_ (x| t|_ , t)|");
  CHECK(pieces_of("x_T") == "x| T|_");
  CHECK(pieces_of("\\beta_T") == "β| T|_");
  CHECK(pieces_of("\\mathbb{E}_{t,x_0,\\epsilon}") == "𝔼| t,x|_ 0|__ ,ε|_");
  CHECK(pieces_of("\\nabla_{x_t}") == "∇| x|_ t|__");
  CHECK(pieces_of("e^{-x^2/2}") == "e| −x|^ 2|^^ /2|^");
  // A script inside a script records both levels, innermost last.
  CHECK(pieces_of("x_{a_\\theta}") == "x| a|_ θ|__");
  // Scripts Unicode can write are pieces too; `text` keeps the characters.
  CHECK(pieces_of("\\bar{\\alpha}_t") == "α\u0304| t|_");
  CHECK(latex_to_unicode("\\bar{\\alpha}_t").text == "α\u0304ₜ");
  // The joined pieces are the formula without its marks; `text` keeps the readable fallback.
  CHECK(latex_to_unicode("\\epsilon_\\theta").text == "ε_θ");
  CHECK(latex_to_unicode("x_{a_\\theta}").text == "x_(a_θ)");
  // An accent goes on the base only, not on the letters of its script.
  CHECK(pieces_of("\\hat{x_\\theta}") == "x\u0302| θ|_");
  // Private-use characters in the input cannot fake a script marker.
  CHECK(pieces_of("a\uE000b\uE002c") == "abc|");
}

TEST_CASE("deep nesting is an error with the limit's name, not a stack overflow (issue 16, points 2 and 9)") {
  // 3000 nested \frac{ (issue 16 point 2) and 20 000 nested { (point 9): both recursed once per level.
  std::string fracs, braces;
  for (int i = 0; i < 3000; ++i) fracs += "\\frac{";
  fracs += "x";
  for (int i = 0; i < 20000; ++i) braces += "{";
  braces += "y";
  for (int i = 0; i < 20000; ++i) braces += "}";
  for (const std::string& latex : {fracs, braces}) {
    const difflab::MathText m = latex_to_unicode(latex);
    REQUIRE(m.errors.size() == 1);
    CHECK(m.errors[0].find("kMaxMathNesting") != std::string::npos);
    CHECK(m.errors[0].find(std::to_string(difflab::limits::kMaxMathNesting)) != std::string::npos);
  }
  // Just inside the limit is fine: kMaxMathNesting − 1 groups around one letter.
  std::string ok;
  for (int i = 0; i < difflab::limits::kMaxMathNesting - 1; ++i) ok += "{";
  ok += "z";
  for (int i = 0; i < difflab::limits::kMaxMathNesting - 1; ++i) ok += "}";
  const difflab::MathText m = latex_to_unicode(ok);
  CHECK(m.errors.empty());
  CHECK(m.text == "z");
}

TEST_CASE("a formula longer than kMaxFormulaBytes is an error and is not converted") {
  std::string huge;
  while (huge.size() <= difflab::limits::kMaxFormulaBytes) huge += "x_\\theta ";
  const difflab::MathText m = latex_to_unicode(huge);
  REQUIRE(m.errors.size() == 1);
  CHECK(m.errors[0].find("kMaxFormulaBytes") != std::string::npos);
  CHECK(m.pieces.empty());
  CHECK(m.text.empty());
  // Just under the limit converts (and its pieces are many, each small).
  huge.resize(difflab::limits::kMaxFormulaBytes - 16);
  CHECK(latex_to_unicode(huge).errors.empty());
}

// Walkthrough of issue 10, item 10: "a/b" flattened from \frac binds like the printed fraction only with
// brackets around a compound side and around the whole fraction when a factor follows it.
TEST_CASE(
    "a flattened \\frac keeps the printed meaning: brackets for compound sides and a following factor") {
  // 04 s3: β̃ₜ = (1−ᾱₜ₋₁)/(1−ᾱₜ) βₜ was read as divided by (1−ᾱₜ)βₜ.
  CHECK(latex_to_unicode("\\tilde{\\beta}_t = \\frac{1-\\bar{\\alpha}_{t-1}}{1-\\bar{\\alpha}_t}\\beta_t")
            .text == "β\u0303ₜ = ((1−α\u0304ₜ₋₁)/(1−α\u0304ₜ))βₜ");
  // 05 s2 / 03 s10: βₜ/√(1−ᾱₜ) ε_θ was read as βₜ/(√(1−ᾱₜ)·ε_θ).
  CHECK(latex_to_unicode(
            "x_{t-1} = \\frac{x_t - \\frac{\\beta_t}{\\sqrt{1-\\bar{\\alpha}_t}}\\,\\epsilon_\\theta(x_t, "
            "t)}{\\sqrt{\\alpha_t}} + \\sigma_t z")
            .text == "xₜ₋₁ = (xₜ − (βₜ/√(1−α\u0304ₜ)) ε_θ(xₜ, t))/√αₜ + σₜ z");
  // A denominator of two factors is bracketed; one symbol with scripts, a root of one or a differential is
  // not.
  CHECK(latex_to_unicode("\\frac{x^2}{2\\sigma^2}").text == "x²/(2σ²)");
  CHECK(latex_to_unicode("\\frac{a}{\\sqrt{\\alpha_t}}").text == "a/√αₜ");
  CHECK(latex_to_unicode("\\frac{dx}{dt} = f").text == "dx/dt = f");
  // Followed by an operator, a relation or the end: no brackets around the fraction.
  CHECK(latex_to_unicode("\\frac{a}{b} + c").text == "a/b + c");
  CHECK(latex_to_unicode("\\frac{a}{b}").text == "a/b");
  CHECK(latex_to_unicode("\\frac{a}{b}\\quad c").text == "a/b c");
}

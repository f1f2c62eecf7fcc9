// test_plot_math.cpp — the plotting layer's pure functions: ticks, transforms, colormaps, histogram bins.
// Not drawing: expected values are worked out by hand in each test, not taken from the code.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "plot/binning.h"
#include "plot/colormap.h"
#include "plot/contour.h"
#include "plot/layout.h"
#include "plot/ticks.h"
#include "plot/transform.h"

using namespace difflab::plot;

TEST_CASE("nice_number rounds to 1, 2 or 5 times a power of ten") {
  CHECK(nice_number(0.25, true) == doctest::Approx(0.2));
  CHECK(nice_number(3.3, true) == doctest::Approx(5));
  CHECK(nice_number(7.5, true) == doctest::Approx(10));
  CHECK(nice_number(1.2, false) == doctest::Approx(2));
  CHECK(nice_number(430, false) == doctest::Approx(500));
}

TEST_CASE("ticks for (0, 1) with about 5 ticks are 0, 0.2, …, 1") {
  const std::vector<double> t = linear_ticks(0, 1, 5);
  REQUIRE(t.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(t[i] == doctest::Approx(0.2 * i));
}

TEST_CASE("ticks for (-3, 7) step by 2 and include an exact zero") {
  // 10 / 5 = 2 → step 2: −2, 0, 2, 4, 6.
  const std::vector<double> t = linear_ticks(-3, 7, 5);
  const std::vector<double> expected = {-2, 0, 2, 4, 6};
  REQUIRE(t.size() == expected.size());
  for (size_t i = 0; i < t.size(); ++i) CHECK(t[i] == doctest::Approx(expected[i]));
  CHECK(t[1] == 0.0);
}

TEST_CASE("a short axis with a target of 3 still gets three ticks") {
  // 3.2 / 3 ≈ 1.07 → step 1: −1, 0, 1.
  const std::vector<double> t = linear_ticks(-1.6, 1.6, 3);
  REQUIRE(t.size() == 3);
  CHECK(t[0] == doctest::Approx(-1));
  CHECK(t[2] == doctest::Approx(1));
}

TEST_CASE("ticks lie inside a range that does not start on a step") {
  for (double v : linear_ticks(0.13, 0.91, 5)) {
    CHECK(v >= 0.13);
    CHECK(v <= 0.91);
  }
  CHECK(linear_ticks(1, 1, 5).empty());
}

TEST_CASE("log ticks are the decades inside the range, or 1-2-5 inside one decade") {
  const std::vector<double> decades = log_ticks(1e-3, 10);
  const std::vector<double> expected = {1e-3, 1e-2, 1e-1, 1, 10};
  REQUIRE(decades.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) CHECK(decades[i] == doctest::Approx(expected[i]));
  const std::vector<double> one_power = log_ticks(0.15, 3);  // only 1 inside: 0.2, 0.5, 1, 2
  const std::vector<double> expected_125 = {0.2, 0.5, 1, 2};
  REQUIRE(one_power.size() == expected_125.size());
  for (size_t i = 0; i < expected_125.size(); ++i) CHECK(one_power[i] == doctest::Approx(expected_125[i]));
  const std::vector<double> inside = log_ticks(0.15, 0.9);  // 1-2-5 gives only 0.2, 0.5: 1-1.5-2-3-5-7
  const std::vector<double> expected_15 = {0.15, 0.2, 0.3, 0.5, 0.7};
  REQUIRE(inside.size() == expected_15.size());
  for (size_t i = 0; i < expected_15.size(); ++i) CHECK(inside[i] == doctest::Approx(expected_15[i]));
}

// Lesson 06 at 1280x720: the three-objectives W2 axis (0.105 to 0.7) had no label below 0.2, the lambda_t
// axis (0.045 to 1.6, the slide quotes its minimum 0.05) only 0.1 and 1, the ELBO loss (9 to 25) 9, 10, 20.
TEST_CASE("a log axis under two decades labels the low end of its data") {
  const std::vector<double> w2 = log_ticks(0.105, 0.7, 6);
  REQUIRE(!w2.empty());
  CHECK(w2.front() == doctest::Approx(0.15));
  const std::vector<double> lambda = log_ticks(0.045, 1.6, 16);
  const std::vector<double> expected = {0.05, 0.1, 0.2, 0.5, 1};
  REQUIRE(lambda.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) CHECK(lambda[i] == doctest::Approx(expected[i]));
  const std::vector<double> loss = log_ticks(9, 25, 12);
  const std::vector<double> expected_loss = {10, 15, 20};
  REQUIRE(loss.size() == expected_loss.size());
  for (size_t i = 0; i < expected_loss.size(); ++i) CHECK(loss[i] == doctest::Approx(expected_loss[i]));
  // Two decades with no room for their multiples, or no target: the two powers of ten.
  const std::vector<double> tight = log_ticks(0.045, 1.6, 2);
  REQUIRE(tight.size() == 2);
  CHECK(tight[0] == doctest::Approx(0.1));
  CHECK(log_ticks(0.045, 1.6).size() == 2);
}

TEST_CASE("tick labels carry the decimals their step needs and never print -0") {
  CHECK(format_tick(0.4, 0.2) == "0.4");
  CHECK(format_tick(15, 5) == "15");
  CHECK(format_tick(-0.05, 0.05) == "-0.05");
  CHECK(format_tick(-1e-17, 0.2) == "0.0");
  CHECK(format_tick(1e-5, 1e-5) == "1e-05");
}

TEST_CASE("a linear transform maps the ends of the range to the ends of the pixels and round-trips") {
  const AxisMap m{-1.0, 3.0, 100.0, 500.0, Scale::Linear};
  CHECK(to_pixel(m, -1.0) == doctest::Approx(100));
  CHECK(to_pixel(m, 3.0) == doctest::Approx(500));
  CHECK(to_pixel(m, 0.0) == doctest::Approx(200));  // a quarter of the way: 100 + 400/4
  for (double v : {-1.0, 0.3, 2.9}) CHECK(to_data(m, to_pixel(m, v)) == doctest::Approx(v));
}

TEST_CASE("a y axis maps larger data to smaller screen y") {
  const AxisMap m{0.0, 10.0, 400.0, 0.0, Scale::Linear};  // bottom = 400, top = 0
  CHECK(to_pixel(m, 10.0) == doctest::Approx(0));
  CHECK(to_pixel(m, 2.5) == doctest::Approx(300));
}

TEST_CASE("a log transform puts each decade at the same pixel distance") {
  const AxisMap m{1.0, 1000.0, 0.0, 300.0, Scale::Log10};
  CHECK(to_pixel(m, 10.0) == doctest::Approx(100));
  CHECK(to_pixel(m, 100.0) == doctest::Approx(200));
  CHECK(to_data(m, 150.0) == doctest::Approx(31.6227766));  // 10^1.5
}

TEST_CASE("zoom keeps the anchor fixed and pan moves by the pixel fraction") {
  const Range z = zoom_range({0, 10}, 2.0, 0.5);
  CHECK(z.min == doctest::Approx(1));           // 2 − (2 − 0)/2
  CHECK(z.max == doctest::Approx(6));           // 2 + (10 − 2)/2
  const Range p = pan_range({0, 10}, 50, 100);  // half the axis → +5
  CHECK(p.min == doctest::Approx(5));
  CHECK(p.max == doctest::Approx(15));
}

TEST_CASE("equal aspect widens the axis with fewer units per pixel") {
  Range x{0, 1}, y{0, 4};
  equalize_aspect(&x, &y, 200, 200);  // y: 0.02 per pixel, x widened to 4 units around 0.5
  CHECK(x.min == doctest::Approx(-1.5));
  CHECK(x.max == doctest::Approx(2.5));
  CHECK(y.max == doctest::Approx(4));
}

TEST_CASE(
    "equal aspect never ratchets the stored limits: a transient 10-pixel-high frame (F) leaves them as "
    "asked") {
  // The scatter of lesson 02 at ±3.5 in a 900 × 600 plot; F toggles fullscreen, and for one frame the
  // plot area is squeezed to the 10-pixel minimum. Storing the equalised ranges widened x to ±315 there
  // and kept it ("axes jump to ±40" and beyond).
  ViewLimits v;
  v.x = {-3.5, 3.5};
  v.y = {-3.5, 3.5};
  v.show(900, 600, true);
  const Range before_x = v.shown_x, before_y = v.shown_y;
  CHECK(before_x.max == doctest::Approx(3.5 * 900 / 600));  // x widened to keep one unit = same pixels
  CHECK(before_y.max == doctest::Approx(3.5));
  v.show(900, 10, true);
  CHECK(v.shown_x.max == doctest::Approx(3.5 * 90));  // that frame's view …
  v.show(1900, 1000, true);
  v.show(900, 600, true);  // … and back: exactly the first view
  CHECK(v.shown_x.min == doctest::Approx(before_x.min));
  CHECK(v.shown_x.max == doctest::Approx(before_x.max));
  CHECK(v.shown_y.min == doctest::Approx(before_y.min));
  CHECK(v.shown_y.max == doctest::Approx(before_y.max));
  CHECK(v.x.max == 3.5);
  CHECK(v.y.max == 3.5);
}

TEST_CASE("pan and zoom act on what is shown and become the request") {
  ViewLimits v;
  v.x = {0, 10};
  v.y = {0, 10};
  v.show(100, 100, false);
  v.zoom(2.0, 5.0, 0.5, Scale::Linear, Scale::Linear);
  CHECK(v.x.min == doctest::Approx(1));
  CHECK(v.x.max == doctest::Approx(6));
  v.show(100, 100, false);
  v.pan(50, 0, 100, 100, Scale::Linear, Scale::Linear);
  CHECK(v.x.min == doctest::Approx(3.5));
  CHECK(v.x.max == doctest::Approx(8.5));
}

TEST_CASE("symmetric log: sign(v) log10(1 + |v|/c), odd, round-trips, and is nearly linear inside ±c") {
  const double c = 1e-3;
  CHECK(scale_forward(Scale::SymLog, 0.0, c) == 0.0);
  CHECK(scale_forward(Scale::SymLog, 0.999, c) == doctest::Approx(3.0));  // log10(1 + 999)
  CHECK(scale_forward(Scale::SymLog, -0.999, c) == doctest::Approx(-3.0));
  for (double v : {-12.5, -0.3, -1e-4, 0.0, 2e-4, 0.7, 40.0})
    CHECK(scale_inverse(Scale::SymLog, scale_forward(Scale::SymLog, v, c), c) ==
          doctest::Approx(v).epsilon(1e-12));
  // Inside ±c/10 the slope is 1/(c ln 10) to within 5 %.
  const double slope = scale_forward(Scale::SymLog, 1e-4, c) / 1e-4;
  CHECK(slope == doctest::Approx(1.0 / (c * std::log(10.0))).epsilon(0.05));
  // A negative L₀ of −1.2 nats and terms of 1e-3 … 1 on one axis: every value maps inside the pixels.
  const AxisMap m{-2.0, 1.0, 400.0, 0.0, Scale::SymLog, c};
  CHECK(to_pixel(m, -2.0) == doctest::Approx(400));
  CHECK(to_pixel(m, 1.0) == doctest::Approx(0));
  CHECK(to_pixel(m, 0.0) > to_pixel(m, 1e-3));
  CHECK(to_pixel(m, -1.2) > to_pixel(m, 0.0));
  CHECK(to_data(m, to_pixel(m, -1.2)) == doctest::Approx(-1.2));
}

TEST_CASE("symmetric-log ticks: zero and the signed decades above c, thinned when crowded") {
  // ±c sit log10(1 + 1) ≈ 0.30 transformed units from 0, a decade beyond c ≈ 1.04: ±0.001 were crowded
  // around a 0 whose label was dropped (lesson 06 slide 4), so with 0 shown they are left out.
  const std::vector<double> t = symlog_ticks(-2.0, 1.0, 1e-3, 10);
  const std::vector<double> expected = {-1, -0.1, -0.01, 0, 0.01, 0.1, 1};
  REQUIRE(t.size() == expected.size());
  for (size_t i = 0; i < t.size(); ++i) CHECK(t[i] == doctest::Approx(expected[i]));
  const std::vector<double> thin = symlog_ticks(-1e6, 1e6, 1e-6, 8);  // 13 decades each side
  CHECK(thin.size() <= 8);
  CHECK(std::count(thin.begin(), thin.end(), 0.0) == 1);
  CHECK(thin.back() == doctest::Approx(1e6));
  CHECK(thin.front() == doctest::Approx(-1e6));
  // Within the linear part only: plain linear ticks.
  CHECK(symlog_ticks(-0.5, 0.5, 1.0) == linear_ticks(-0.5, 0.5, 4));
  // Only one decade reached, or no zero in range: c's decade stays.
  const std::vector<double> one = symlog_ticks(-2e-3, 2e-3, 1e-3, 10);
  CHECK(one == std::vector<double>{-1e-3, 0, 1e-3});
  const std::vector<double> positive = symlog_ticks(1e-3, 1.0, 1e-3, 10);
  CHECK(positive.front() == doctest::Approx(1e-3));
  CHECK(std::abs(to_pixel(AxisMap{-2.0, 1.0, 400.0, 0.0, Scale::SymLog, 1e-3}, 0.01) -
                 to_pixel(AxisMap{-2.0, 1.0, 400.0, 0.0, Scale::SymLog, 1e-3}, 0.0)) > 60);
}

TEST_CASE("the x label sits under the tick labels, or under the data area when there are none") {
  // Font 20: tick labels take 1.1 em = 22 px under the area; the label keeps a 5 px gap either way.
  CHECK(x_label_top(335, 20, true) == doctest::Approx(335 + 5 + 22));
  CHECK(x_label_top(335, 20, false) == doctest::Approx(340));
}

TEST_CASE("a 2 x 2 grid puts its caption beside it when that makes the data squares larger") {
  // Lesson 05 s6 at 1280 x 720 (font 16): panel 760 x 420 under the controls, key + caption 150 px tall,
  // margins 5.6 em + 8 across, 2.7 em + 8 down, a text column at least 16 em wide (the panel uses 12 em).
  const GridBeside g = grid_with_text_beside(760, 420, 150, 105, 51, 256, 8);
  CHECK(g.beside);
  CHECK(g.cell == doctest::Approx((420 - 51) / 2.0));  // height-limited: (420 - 51) / 2 = 184.5
  CHECK(g.grid_width == doctest::Approx(2 * 184.5 + 105));
  CHECK(g.cell > (420 - 150 - 51) / 2.0);  // stacked it was 109.5 px
  CHECK(760 - g.grid_width - 8 >= 256);    // the column keeps its minimum width
  // A tall narrow panel keeps the caption under the grid: stacked (500 - 105) / 2 beats beside 131 / 2.
  const GridBeside tall = grid_with_text_beside(500, 900, 150, 105, 51, 256, 8);
  CHECK_FALSE(tall.beside);
  CHECK(tall.grid_width == 500);
  CHECK(tall.cell == doctest::Approx((500 - 105) / 2.0));
}

TEST_CASE("the legend band moves left of the data area only when its widest entry needs it") {
  // Lesson 04 s6 (es) at 1280: frame 890…1265, data from 975; "modelo contra datos reservados" ≈ 310 px.
  CHECK(legend_band_left(975, 890, 1265, 250) == 975);         // fits above the data: unchanged
  CHECK(legend_band_left(975, 890, 1265, 310) == 1265 - 310);  // moved just enough
  CHECK(legend_band_left(975, 890, 1265, 500) == 890);         // wider than the frame: its left edge
  CHECK(legend_band_left(975, 890, 1265, 1265 - 975) == 975);  // exactly fits
}

TEST_CASE("the legend packs into rows of a band above the data, never wider than the band") {
  std::vector<LegendSlot> slots;
  // Three entries of 100 px with 10 px gaps in a 250 px band: two on the first row, one on the second.
  CHECK(pack_legend({100, 100, 100}, 250, 10, 20, &slots) == 2);
  CHECK(slots[0].x == 0);
  CHECK(slots[1].x == 110);
  CHECK(slots[1].y == 0);
  CHECK(slots[2].x == 0);
  CHECK(slots[2].y == 20);
  // Each entry ends inside the band unless it alone is wider.
  CHECK(pack_legend({60, 300, 60}, 250, 10, 20, &slots) == 3);
  CHECK(slots[1].x == 0);
  CHECK(pack_legend({}, 250, 10, 20, &slots) == 0);
}

TEST_CASE("the title and the y label share the top row only when they do not collide") {
  // Frame 400 px, title 200 px: it starts at 100. A 90 px label with a 14 px gap would reach 104: collision
  // (lesson 10's "sliced W₂sample quality"); a 80 px label fits.
  CHECK_FALSE(title_shares_row_with_y_label(400, 200, 90, 14));
  CHECK(title_shares_row_with_y_label(400, 200, 80, 14));
}

TEST_CASE("contours of r² on a grid are circles of the level's radius, and connect across cells") {
  // f(x, y) = x² + y² on [−2, 2]² at 41 × 41 points; the level 1 is the unit circle. Linear interpolation on
  // 0.1-wide cells puts every endpoint within 0.01 of it.
  const int n = 41;
  std::vector<float> f(n * n);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const double x = -2 + 0.1 * c, y = 2 - 0.1 * r;
      f[r * n + c] = float(x * x + y * y);
    }
  const std::vector<float> xy = contour_segments(f, n, n, {-2, 2}, {-2, 2}, 1.0);
  REQUIRE(xy.size() % 6 == 0);
  const size_t segments = xy.size() / 6;
  CHECK(segments > 60);  // about 2π / 0.1 cells around
  double length = 0;
  for (size_t s = 0; s < segments; ++s) {
    const float* p = &xy[6 * s];
    CHECK(std::hypot(p[0], p[1]) == doctest::Approx(1.0).epsilon(0.01));
    CHECK(std::hypot(p[2], p[3]) == doctest::Approx(1.0).epsilon(0.01));
    CHECK(std::isnan(p[4]));
    length += std::hypot(p[2] - p[0], p[3] - p[1]);
  }
  CHECK(length == doctest::Approx(2 * 3.141592653589793).epsilon(0.01));  // the circumference
  // A level outside the values: nothing.
  CHECK(contour_segments(f, n, n, {-2, 2}, {-2, 2}, 100.0).empty());
}

TEST_CASE("viridis ends at the published #440154 and #FDE725") {
  const Rgb8 lo = colormap_lookup(Colormap::Viridis, 0.0), hi = colormap_lookup(Colormap::Viridis, 1.0);
  CHECK(lo.r == 0x44);
  CHECK(lo.g == 0x01);
  CHECK(lo.b == 0x54);
  CHECK(hi.r == 0xFD);
  CHECK(hi.g == 0xE7);
  CHECK(hi.b == 0x25);
}

TEST_CASE("magma runs from near black #000004 to pale yellow #FCFDBF, out-of-range t is clamped") {
  const Rgb8 lo = colormap_lookup(Colormap::Magma, -2.0), hi = colormap_lookup(Colormap::Magma, 7.0);
  CHECK((lo.r == 0x00 && lo.g == 0x00 && lo.b == 0x04));
  CHECK((hi.r == 0xFC && hi.g == 0xFD && hi.b == 0xBF));
}

TEST_CASE("the diverging map is grey #DDDDDD in the middle, blue below and red above") {
  const Rgb8 mid = colormap_lookup(Colormap::CoolWarm, 0.5);
  CHECK((mid.r == 0xDD && mid.g == 0xDD && mid.b == 0xDD));
  const Rgb8 lo = colormap_lookup(Colormap::CoolWarm, 0.0), hi = colormap_lookup(Colormap::CoolWarm, 1.0);
  CHECK(lo.b > lo.r);
  CHECK(hi.r > hi.b);
}

TEST_CASE("viridis lightness rises monotonically (its luma never decreases)") {
  double previous = -1;
  for (int i = 0; i <= 100; ++i) {
    const Rgb8 c = colormap_lookup(Colormap::Viridis, i / 100.0);
    const double luma = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    CHECK(luma >= previous - 0.5);
    previous = luma;
  }
}

TEST_CASE("pack_abgr matches ImGui's IM_COL32 byte layout") {
  CHECK(pack_abgr({0x11, 0x22, 0x33}) == 0xFF332211u);
}

TEST_CASE("histogram counts read strided data and put hi in the last bin") {
  const float xy[] = {0.0f, 9.f, 0.5f, 9.f, 1.0f, 9.f, 2.0f, 9.f};  // x values 0, 0.5, 1, 2 (2 is outside)
  const std::vector<double> c = histogram_counts(xy, 4, 2 * sizeof(float), 2, 0.0, 1.0);
  REQUIRE(c.size() == 2);
  CHECK(c[0] == 1);  // 0
  CHECK(c[1] == 2);  // 0.5 and 1 (hi)
}

// Walkthrough of issue 10, item 6: heat maps over ±4.6 showed one tick "0" at 1280 (step 5, target 3).
TEST_CASE("an axis over (-4.6, 4.6) 300 pixels long gets at least three ticks, not a lone 0") {
  const float font = 30.0f;  // presenter mode at 20 px × 1.5; x labels need about 5 em each (plot.cpp)
  const int target = axis_tick_target(300.0f, font * 5);
  CHECK(target == 3);
  const std::vector<double> ticks = linear_ticks(-4.6, 4.6, target);
  REQUIRE(ticks.size() >= 3);
  // Step 2 (the 1-2-5 step below 5): −4, −2, 0, 2, 4.
  CHECK(linear_tick_step(-4.6, 4.6, target) == doctest::Approx(2.0));
  CHECK(ticks.front() == doctest::Approx(-4.0));
  CHECK(ticks.back() == doctest::Approx(4.0));
  for (double t : ticks) CHECK(std::abs(t) <= 4.6);
}

// Walkthrough items 04 s7 and 06 s6: log-scaled loss curves near 1.2 and 19.5 had no y tick labels.
TEST_CASE("a log axis over a range narrower than its 1-2-5 multiples still gets ticks inside it") {
  for (const auto& [lo, hi] : {std::pair{1.18, 1.62}, std::pair{18.7, 21.3}, std::pair{0.031, 0.038}}) {
    CAPTURE(lo);
    const std::vector<double> ticks = log_ticks(lo, hi);
    CHECK(ticks.size() >= 2);
    for (double t : ticks) {
      CHECK(t >= lo);
      CHECK(t <= hi);
    }
  }
  // 1.18 … 1.62: linear ticks 1.2, 1.3, …, 1.6 (step 0.1).
  const std::vector<double> loss = log_ticks(1.18, 1.62);
  REQUIRE(loss.size() == 5);
  CHECK(loss.front() == doctest::Approx(1.2));
  CHECK(loss.back() == doctest::Approx(1.6));
}

TEST_CASE("an axis without tick labels gives its margin to the data area") {
  // Lesson 03's four clouds at 1280 × 720: 185 px columns kept 3.6 em for y tick labels they did not show.
  const float font = 20;
  const AreaMargins with = area_margins(true, true, false, false, font);
  const AreaMargins without = area_margins(false, false, false, false, font);
  CHECK(with.left == doctest::Approx(3.6f * font));
  CHECK(with.bottom == doctest::Approx(1.5f * font));
  CHECK(without.left == doctest::Approx(0.4f * font));
  CHECK(without.bottom == doctest::Approx(0.4f * font));
  CHECK(area_margins(false, false, true, false, font).bottom == doctest::Approx(2.6f * font));  // x label row
  CHECK(area_margins(true, true, false, true, font).right == doctest::Approx(5.0f * font));  // colour scale
  CHECK(with.right == without.right);
}

TEST_CASE("a colour scale's labels keep a gap after their tick marks and fit the right margin") {
  // Lesson 02's density scale read "-0.15": the 3 px tick mark touched the label "0.15".
  const float font = 20, area_right = 500;
  const ColorbarGeometry g = colorbar_geometry(area_right, font);
  CHECK(g.bar_left > area_right);
  CHECK(g.bar_right > g.bar_left);
  CHECK(g.tick_end > g.bar_right);
  CHECK(g.label_left - g.tick_end >= 0.3f * font);
  // A label such as "-0.15" (about 2.7 em) still ends inside the margin area_margins leaves for the scale.
  const float margin = area_margins(true, true, false, true, font).right;
  CHECK(g.label_left + 2.7f * font <= area_right + margin);
}

TEST_CASE("the pointer read-out sits inside the data area, in the corner away from the pointer") {
  // Area 100…500 × 50…350 (screen y down), a 120 × 20 box, 4 px inset.
  const float l = 100, t = 50, r = 500, b = 350, w = 120, h = 20, inset = 4;
  struct Case {
    float px, py, x, y;  // pointer; expected top-left of the box
  };
  for (const Case& c : {Case{150, 80, r - inset - w, b - inset - h}, Case{450, 80, l + inset, b - inset - h},
                        Case{150, 300, r - inset - w, t + inset}, Case{450, 300, l + inset, t + inset}}) {
    const ReadoutBox box = readout_box(l, t, r, b, c.px, c.py, w, h, inset);
    CHECK(box.x == doctest::Approx(c.x));
    CHECK(box.y == doctest::Approx(c.y));
    // Inside the area (so off the tick labels and axis labels around it), and not under the pointer.
    CHECK(box.x >= l);
    CHECK(box.x + w <= r);
    CHECK(box.y >= t);
    CHECK(box.y + h <= b);
    CHECK_FALSE((c.px >= box.x && c.px <= box.x + w && c.py >= box.y && c.py <= box.y + h));
  }
  // A box wider than a tiny area starts at its left edge, never left of the axis.
  CHECK(readout_box(0, 0, 50, 50, 10, 40, 80, 10, 2).x == doctest::Approx(0));
}

TEST_CASE("an image grid takes the column count with the largest cells") {
  // 6 images, 760 × 330 px, 2 px gaps: one row 760/6 − 2 = 124.7; 3 × 2: min(253.3 − 2, 165 − 2) = 163.
  const GridFit fit = fit_image_grid(6, 760, 330, 2);
  CHECK(fit.columns == 3);
  CHECK(fit.cell == doctest::Approx(163));
  // A wide short strip stays one row: 6 × (100 + 2) ≤ 1200 wide, 102 tall.
  CHECK(fit_image_grid(6, 1200, 102, 2).columns == 6);
  // One image takes the smaller side.
  CHECK(fit_image_grid(1, 300, 200, 0).cell == doctest::Approx(200));
}

TEST_CASE("the square-area frame height leaves a square data area") {
  // 185 px frame, 16 px font, no ticks: across 185 − (0.4 + 0.8)·16 = 165.8; down the title row 1.3 em, the
  // gap 0.4 em and the bottom margin 0.4 em: 2.1·16 = 33.6 more than the area.
  const float h = square_area_frame_height(185, 16);
  CHECK(h == doctest::Approx(165.8 + 33.6));
  const AreaMargins m = area_margins(false, false, false, false, 16);
  CHECK(h - 16 * 1.3f - 16 * 0.4f - m.bottom == doctest::Approx(185 - m.left - m.right));
}

TEST_CASE("an image grid with a label line per row leaves the labels their room") {
  // 6 images, 760 × 330, 2 px gaps, 20 px labels: 3 × 2 cells min(253.3 − 2, 165 − 2 − 20) = 143;
  // 2 × 3: min(378, 110 − 22) = 88; one row: min(124.7, 330 − 22) = 124.7. 3 × 2 wins.
  const GridFit fit = fit_image_grid(6, 760, 330, 2, 20);
  CHECK(fit.columns == 3);
  CHECK(fit.cell == doctest::Approx(143));
  // Rows × (label + cell + gap) fit the height the grid was given.
  CHECK(2 * (20 + fit.cell + 2) <= doctest::Approx(330));
  // Tall labels make a second row cost more than it gives: 2 rows get 60 − 2 − 40 = 18 px cells, one row
  // min(800/6 − 2, 120 − 2 − 40) = 78 px.
  CHECK(fit_image_grid(6, 800, 120, 2, 40).columns == 6);
  CHECK(fit_image_grid(6, 800, 120, 2, 40).cell == doctest::Approx(78));
}

TEST_CASE("the read-out takes the emptiest corner outside the pointer's quadrant") {
  // Corners 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right. Pointer top-left: opposite is 3.
  CHECK(readout_corner(true, true, nullptr) == 3);
  const int tie[4] = {0, 0, 0, 0};
  CHECK(readout_corner(true, true, tie) == 3);  // a tie keeps the opposite corner
  // A falling loss curve ends bottom-right (04 s6): the read-out moves to the empty top-right.
  const int falling[4] = {40, 0, 5, 25};
  CHECK(readout_corner(true, true, falling) == 1);
  // The pointer's own corner is never chosen, however empty.
  const int crowded[4] = {0, 9, 9, 9};
  CHECK(readout_corner(true, true, crowded) != 0);
  // readout_box follows the corner: top-right, inset from the top and right edges.
  const ReadoutBox box = readout_box(100, 50, 500, 350, 150, 80, 120, 20, 4, falling);
  CHECK(box.x == doctest::Approx(500 - 4 - 120));
  CHECK(box.y == doctest::Approx(50 + 4));
}

TEST_CASE("a time cursor's label stays inside the plot: right of the line, or left of it at the right edge") {
  using difflab::plot::cursor_label_x;
  CHECK(cursor_label_x(100, 40, 50, 400) == 105);  // room on the right
  CHECK(cursor_label_x(390, 40, 50, 400) == 345);  // t = T − 1: the label flips to the left of the line
  CHECK(cursor_label_x(60, 400, 50, 400) == 50);   // wider than the plot: starts at its left edge
}

TEST_CASE("padded_step_range: the quality plot's x range is the loss plot's fit of its logged steps") {
  // Lesson 04 s6 at 1920 × 1080: loss logged at steps 10 … 230 while the trainer was at step 239; the loss
  // plot's fit pads its data 5 % each side (plot.cpp), so the neighbour must give exactly that, not 0 … 250.
  const StepRange r = padded_step_range(10, 230, 100);
  CHECK(r.lo == doctest::Approx(10 - 0.05 * 220));
  CHECK(r.hi == doctest::Approx(230 + 0.05 * 220));
  // A quality point later than the last logged loss widens the range so that it is drawn.
  const StepRange later = padded_step_range(10, 230, 250);
  CHECK(later.hi == doctest::Approx(250 + 0.05 * 240));
  // A single logged step still has a width.
  const StepRange one = padded_step_range(25, 25, 25);
  CHECK(one.hi - one.lo == doctest::Approx(1.1));
}

TEST_CASE("lesson_combo_width: the whole lesson title when the toolbar has room") {
  // 1920 × 1080, font 20: "The probability-flow ODE and the SDE" is ~360 px; the old fixed cap was 16 em =
  // 320.
  const float font = 20, arrow = 20 + 4 * 4;
  CHECK(lesson_combo_width(1900, font, 360, arrow) == doctest::Approx(360 + arrow));
  // A short title keeps the 16 em the toolbar always had.
  CHECK(lesson_combo_width(1900, font, 100, arrow) == doctest::Approx(16 * font));
  // Little room: what the buttons leave (24 em), but never under 8 em.
  CHECK(lesson_combo_width(30 * font, font, 360, arrow) == doctest::Approx(8 * font));
  CHECK(lesson_combo_width(40 * font, font, 360, arrow) == doctest::Approx(16 * font));
}

// Lesson 03 slide 9 at T = 50: β from 0.002 to 0.4 had labels 0.01, 0.1 only, none on the lowest stretch.
TEST_CASE("a log axis with room labels the data beyond its outer powers of ten") {
  const std::vector<double> beta = log_ticks(0.0015, 0.6, 6);
  const std::vector<double> expected = {0.002, 0.01, 0.1, 0.5};
  REQUIRE(beta.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) CHECK(beta[i] == doctest::Approx(expected[i]));
  // Without room (target 2 for 2.6 decades) only the powers, as without a target.
  CHECK(log_ticks(0.0015, 0.6, 2).size() == 2);
  CHECK(log_ticks(0.0015, 0.6).size() == 2);
  // Nothing beyond the powers when the data stops short of 2·10ᵏ and 5·10ᵏ and the 1-2-5 multiples of its
  // two decades do not fit; when they fit (target 8), those: 0.005, 0.01, 0.02, 0.05, 0.1, 0.2.
  CHECK(log_ticks(0.003, 0.4, 4).size() == 2);
  CHECK(log_ticks(0.003, 0.4, 8).size() == 6);
}

// Lesson 06 slide 7: W₂ between 0.15 and 0.9 on a short log axis drew 0.2, 0.3, …, 0.9.
TEST_CASE("sub-decade log ticks beyond the axis's room become linear ticks") {
  const std::vector<double> crowded = log_ticks(0.15, 0.9, 3);
  CHECK(crowded.size() <= 4);
  CHECK(crowded.size() >= 2);
  for (double t : crowded) {
    CHECK(t >= 0.15);
    CHECK(t <= 0.9);
  }
  CHECK(log_ticks(0.15, 0.9, 10).size() == 5);  // with room: 0.15, 0.2, 0.3, 0.5, 0.7
}

// Lesson 05 slide 6 at 1280 × 720: "(-1.341, -3.525)" was cut off in a 160 px plot.
TEST_CASE("the hover read-out takes fewer digits where the plot is narrow") {
  const auto width = [](const std::string& t) { return 10.0f * static_cast<float>(t.size()); };
  CHECK(readout_label(-1.34128, -3.52507, 400, width) == "(-1.341, -3.525)");
  CHECK(readout_label(-1.34128, -3.52507, 150, width) == "(-1.34, -3.53)");
  CHECK(readout_label(-1.34128, -3.52507, 120, width) == "(-1.3, -3.5)");
  CHECK(readout_label(-1.34128, -3.52507, 100, width) == "-1.3, -3.5");
  for (float room : {400.0f, 150.0f, 120.0f, 100.0f})
    CHECK(width(readout_label(-1.34128, -3.52507, room, width)) <= room);
}

// test_objectives.cpp — the 2-D, image and classifier trainers give the same losses as before they trained
// through TrainLoop (the numbers were recorded with the pre-TrainLoop code, release build). On that build
// they agree bit for bit; other compilers, flags (asan) and CPUs round differently, so the check allows 1e-4
// relative: a reordered sum moves the 20th loss by ~1e-6, a changed objective by far more.
// Not a quality test: 20 steps of fixed seeds on small models.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "train/checkpoint.h"
#include "train/classifier_trainer.h"
#include "train/image_trainer.h"
#include "train/trainer.h"

#include "tiny_unet.h"

using namespace difflab;

namespace {

ImageDataset squares() {  // 8×8: a bright square at one of two places, labels 0 and 1
  ImageDataset d;
  d.count = 32;
  d.height = d.width = 8;
  d.pixels.assign(d.count * 64, -1.0f);
  for (int i = 0; i < d.count; ++i) {
    const int at = (i % 2) * 4;
    for (int y = 2; y < 6; ++y)
      for (int x = at; x < at + 4; ++x) d.pixels[i * 64 + y * 8 + x] = 1.0f;
    d.labels.push_back(i % 2);
  }
  d.num_classes = 2;
  return d;
}

uint64_t hash_of(const std::vector<float>& v) {
  return fnv1a64(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

// The losses of 20 steps (every one), the gradient norm of the last and the hash of the final EMA weights.
struct Run {
  std::vector<double> losses;
  double last_grad_norm = 0;
  uint64_t ema_hash = 0;
};

// Every number must be the recorded one (to rounding; see the top of the file). The EMA weights' hash is
// exact only on the recording build and is reported, not checked.
void check_run(const char* name, const Run& r, const Run& recorded) {
  INFO(std::string(name));
  REQUIRE(r.losses.size() == recorded.losses.size());
  for (size_t i = 0; i < r.losses.size(); ++i) {
    CAPTURE(i);
    CHECK(r.losses[i] == doctest::Approx(recorded.losses[i]).epsilon(1e-4));
  }
  CHECK(r.last_grad_norm == doctest::Approx(recorded.last_grad_norm).epsilon(1e-4));
  if (r.ema_hash != recorded.ema_hash) MESSAGE("EMA weights not bit-identical (another build or CPU)");
}

Run run_2d(TrainConfig c) {
  c.threads = 1;
  c.eval_every = 0;
  Trainer t(c);
  Run r;
  for (int i = 0; i < 20; ++i) {
    const StepResult s = t.step();
    r.losses.push_back(s.loss);
    r.last_grad_norm = s.grad_norm;
  }
  r.ema_hash = hash_of(t.read_params(true));
  CHECK(t.loop().num_parts() == 1);  // the steps went through the shared loop
  CHECK(t.loop().part(0).name == "model");
  CHECK(t.loop().step_count() == 20);
  return r;
}

// Recorded with the trainers of commit b41f050 (before TrainLoop; threads = 1): losses of steps 1 … 20, the
// last gradient norm (0: the classifier trainer does not report it) and fnv1a64 of the final EMA weights'
// bytes.
const Run k2dEps = {
    {1.1952340597929365,  1.5482953416998093,  1.1478201370245646,  0.68343233292033589, 0.78805944914238835,
     0.71052282852207904, 0.87145065229716534, 0.49886474734983544, 0.6013662313013679,  0.68654970707600571,
     0.55834116697777458, 0.74922743823311977, 0.46713904872376705, 0.51719802348638488, 0.3713171139559277,
     0.47221588924151275, 0.39186631881014217, 0.39406520590238603, 0.48057281889690262, 0.44391121296381092},
    1.9820401129488725,
    0xeabcec2a86876099ULL};
const Run k2dVHybrid = {
    {1.3529323292206328, 1.6412909575364387,  1.4014290410143115, 1.0871426173097405, 1.3421275255980711,
     1.1738326204279139, 1.3712444656064473,  1.2547168263481703, 1.2538503230872931, 1.1040581474314735,
     1.1272136784390949, 1.2681753304991563,  1.3708630157934811, 1.2540511566711152, 1.4098770160238994,
     1.3346964479529406, 0.99120767010207866, 1.0824313687434677, 1.2404595672735721, 1.2713099120997},
    0.81059695169575474,
    0xd43259ddc901cb91ULL};
const Run k2dEdm = {
    {0.98812196564090871, 1.2027094519451378,  1.0027069908346169,  1.2548425985055773,  1.204758392709389,
     0.98985062929055234, 0.79577745797385813, 1.0046831200597182,  0.86260733794446998, 1.0506694811057251,
     0.78715101595616177, 1.0449864193340235,  1.1436387150461484,  0.98451302978479327, 0.91410010606719461,
     0.86662851467694413, 0.86306822619709189, 0.97134361882107634, 0.98847602731872386, 0.96431995536826665},
    0.50587292509452308,
    0x2d52707ef9a82772ULL};
const Run kImage = {
    {1.0656523508152556,  0.83384486129131907, 0.97004998301640688, 0.8839639362088173,  0.79603178705403932,
     0.69720326176117842, 0.65759859524351238, 0.79922321552380837, 0.56270814785230394, 0.64103673384589432,
     0.94448769824686452, 0.60054631911392464, 0.63183563846001023, 0.72183850205123912, 0.55607544790936447,
     0.45508404771220295, 0.46636429233221455, 0.34785310798857694, 0.41707086606741001, 0.44744171983600833},
    0.81561386860818863,
    0xa8003f30e95dc138ULL};
const Run kClassifier = {
    {0.74861865217186141, 0.71131707970856373, 0.69847684447443847, 0.75840618497870294, 0.68055644227428103,
     0.63419777498511765, 0.62293893877716067, 0.60385186591194562, 0.56561628670137132, 0.51287176762845677,
     0.48866159633178063, 0.45983598213198806, 0.44788092108346911, 0.39749634210708279, 0.41457137693285012,
     0.39091095015921296, 0.3699751447757193,  0.36500579274742462, 0.34549077473060041, 0.33187826840975393},
    0,
    0xf0837960588f783fULL};

}  // namespace

TEST_CASE("trainers: 20 steps give the recorded losses (bit for bit on the recording build)") {
  TrainConfig c;
  c.seed = 3;
  c.batch = 64;
  check_run("2d eps", run_2d(c), k2dEps);
  c.loss = LossKind::Hybrid;
  c.prediction = Prediction::V;
  check_run("2d v hybrid", run_2d(c), k2dVHybrid);
  TrainConfig e;
  e.seed = 4;
  e.batch = 64;
  e.edm = true;
  e.model.time_scale = kEdmTimeScale;
  check_run("2d edm", run_2d(e), k2dEdm);

  ImageTrainConfig ic;
  ic.model = test::tiny_unet(true, 8);
  ic.model.num_classes = 2;
  ic.schedule = ScheduleConfig{ScheduleKind::Linear, 100, 1e-3, 0.2};
  ic.batch = 8;
  ic.seed = 5;
  ic.threads = 1;
  {
    ImageTrainer t(ic, squares());
    Run r;
    for (int i = 0; i < 20; ++i) {
      const StepResult s = t.step();
      r.losses.push_back(s.loss);
      r.last_grad_norm = s.grad_norm;
    }
    r.ema_hash = hash_of(t.read_params(true));
    CHECK(t.loop().step_count() == 20);
    check_run("image", r, kImage);
  }

  ClassifierTrainConfig cc;
  cc.model.channels = {4, 8, 8};
  cc.model.groups = 4;
  cc.model.height = cc.model.width = 8;
  cc.model.num_classes = 2;
  cc.batch = 8;
  cc.seed = 6;
  cc.threads = 1;
  {
    ClassifierTrainer t(cc, squares());
    Run r;
    for (int i = 0; i < 20; ++i) r.losses.push_back(t.step());
    const Checkpoint ck = t.to_checkpoint();
    r.ema_hash = hash_of(ck.ema_params);
    check_run("classifier", r, kClassifier);
  }
}

// bench_cfg.h — the cost of class conditioning and classifier-free guidance on the classroom U-Net
// (`difflab bench --cfg`). Not the general benchmark (cli_bench.cpp).
#pragma once

namespace difflab {

struct CfgBench {
  int threads = 1, rounds = 0;
  double train_plain_img_per_s = 0, train_cond_img_per_s = 0;
  double nfe_plain_ms = 0, nfe_cfg_batched_ms = 0, nfe_cfg_two_passes_ms = 0;  // 64 images, t = 500
};

CfgBench bench_cfg(int threads, double seconds, int rounds = 3);
void print_cfg_bench(const CfgBench& r, bool json);

}  // namespace difflab

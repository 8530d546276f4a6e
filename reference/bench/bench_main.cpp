// nnkit_bench: Google Benchmark suites for the reference at LeNet's and
// AlexNet's shapes. The workloads come from workloads.json, which
// torch_bench.py also reads, so both libraries time exactly the same rows.
// Each row runs "forward" (no grad) and, when marked "train", "train"
// (forward, then backward from a fixed gradient, through autograd).
//
// A row reports what its limit is measured in: GFLOP/s for the convolutions, the linear layers,
// the GEMMs and the whole networks (their convolutions' and linear layers' FLOPs), GB/s for the
// ops that only stream their tensors (ReLU, pooling: the bytes they must read and write).
//
//   nnkit_bench --benchmark_filter='alexnet.conv2'     (plain Google Benchmark flags)
//   nnkit_bench --limits 2                              (this machine's FMA peak and bandwidth on 2 threads)
//   ./kit bench [--vs-pytorch]                          (the driver: table, JSON, ratios, % of the limit)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "limits.hpp"
#include "nnkit/kernels/blas.hpp"
#include "nnkit/kernels/packed_gemm.hpp"
#include "nnkit/models/alexnet.hpp"
#include "nnkit/models/lenet.hpp"
#include "nnkit/nn/functional.hpp"

#ifndef NNKIT_WORKLOADS
#error "NNKIT_WORKLOADS must name workloads.json"
#endif

using json = nlohmann::json;
using namespace nnkit;

namespace {

Shape shape_of(const json& j) { return j.get<Shape>(); }

Tensor input_like(const json& w, const char* key, bool requires_grad, Generator& gen) {
    Tensor t = randn(shape_of(w.at(key)), &gen);
    t.requires_grad_(requires_grad);
    return t;
}

// A row's work: given the inputs made once, one call of the layer.
using Layer = std::function<Tensor(const std::vector<Tensor>&)>;

struct Row {
    std::vector<Tensor> inputs;  // made once, outside the timed loop
    Layer layer;
    double flops = 0;            // of one forward (compute-bound rows)
    double bytes = 0, train_bytes = 0;  // what one forward, and one forward + backward, must move (memory-bound rows)
};

double numel(const Shape& s) {
    double n = 1;
    for (auto d : s) n *= double(d);
    return n;
}

// An elementwise or pooling op's least traffic, in float32: forward reads x and writes y;
// backward reads dy and what it saved (x, or the window's argmax as int64), and writes dx.
void set_bytes(Row& r, double in, double out, double saved) {
    r.bytes = 4 * (in + out);
    r.train_bytes = r.bytes + 4 * out + saved + 4 * in;
}

// A network's FLOPs: each convolution's and linear layer's 2 · |output| · |weight[0]| (one
// multiply-add per weight an output element sees), found by forward hooks on one untimed forward.
double network_flops(nn::Module& net, const Tensor& input) {
    double flops = 0;
    std::vector<nn::RemovableHandle> handles;
    for (const auto& m : net.modules()) {
        const auto params = m->named_parameters("", false);
        const Tensor* weight = nullptr;
        for (const auto& [name, p] : params)
            if (name == "weight" && (dynamic_cast<nn::Conv2d*>(m.get()) || dynamic_cast<nn::Linear*>(m.get())))
                weight = &p;
        if (!weight) continue;
        const double per_output = numel(weight->shape()) / double(weight->shape().at(0));
        handles.push_back(m->register_forward_hook([&flops, per_output](nn::Module&, const Tensor&, const Tensor& y) {
            flops += 2 * numel(y.shape()) * per_output;
        }));
    }
    NoGradGuard no_grad;
    net(input);
    for (auto& h : handles) h.remove();
    return flops;
}

Row make_row(const json& w, bool train, Generator& gen) {
    const std::string op = w.at("op");
    Row r;
    if (op == "linear") {
        const Shape x = shape_of(w.at("input")), wt = shape_of(w.at("weight"));
        r.inputs = {input_like(w, "input", train, gen), input_like(w, "weight", train, gen),
                    Tensor(randn({wt[0]}, &gen).data(), train)};
        r.layer = [](const std::vector<Tensor>& in) { return F::linear(in[0], in[1], in[2]); };
        r.flops = 2.0 * double(x[0]) * double(wt[0]) * double(wt[1]);
    } else if (op == "conv2d") {
        const Shape x = shape_of(w.at("input")), wt = shape_of(w.at("weight"));
        const std::int64_t s = w.at("stride"), p = w.at("padding");
        r.inputs = {input_like(w, "input", train, gen), input_like(w, "weight", train, gen),
                    Tensor(randn({wt[0]}, &gen).data(), train)};
        r.layer = [s, p](const std::vector<Tensor>& in) { return F::conv2d(in[0], in[1], in[2], s, p); };
        const double ho = double((x[2] + 2 * p - wt[2]) / s + 1), wo = double((x[3] + 2 * p - wt[3]) / s + 1);
        r.flops = 2.0 * double(x[0] * wt[0] * wt[1] * wt[2] * wt[3]) * ho * wo;
    } else if (op == "relu") {
        r.inputs = {input_like(w, "input", train, gen)};
        r.layer = [](const std::vector<Tensor>& in) { return F::relu(in[0]); };
        const double n = numel(shape_of(w.at("input")));
        set_bytes(r, n, n, 4 * n);
    } else if (op == "max_pool2d") {
        const std::size_t k = w.at("kernel"), s = w.at("stride");
        r.inputs = {input_like(w, "input", train, gen)};
        r.layer = [k, s](const std::vector<Tensor>& in) {
            return F::max_pool2d(in[0], nn::MaxPool2dOptions(k).stride(s));
        };
        const Shape x = shape_of(w.at("input"));
        const double out = numel(x) / double(x[2] * x[3]) * double(((x[2] - k) / s + 1) * ((x[3] - k) / s + 1));
        set_bytes(r, numel(x), out, 8 * out);
    } else if (op == "adaptive_avg_pool2d") {
        const auto out = w.at("output").get<std::vector<std::size_t>>();
        r.inputs = {input_like(w, "input", train, gen)};
        r.layer = [out](const std::vector<Tensor>& in) {
            return F::adaptive_avg_pool2d(in[0], {out.at(0), out.at(1)});
        };
        const Shape x = shape_of(w.at("input"));
        set_bytes(r, numel(x), numel(x) / double(x[2] * x[3]) * double(out.at(0) * out.at(1)), 0);
    } else if (op == "alexnet" || op == "lenet") {
        // The whole network, in eval mode (dropout off) so both libraries do the same work.
        const std::size_t classes = w.at("classes");
        std::shared_ptr<nn::Module> net;
        if (op == "alexnet") net = std::make_shared<models::AlexNet>(classes);
        else net = std::make_shared<models::LeNet>(classes);
        net->eval();
        r.inputs = {input_like(w, "input", false, gen)};
        r.layer = [net](const std::vector<Tensor>& in) { return (*net)(in[0]); };
        r.flops = network_flops(*net, r.inputs[0]);
    } else {
        throw std::runtime_error("nnkit_bench: unknown op " + op);
    }
    return r;
}

void run_layer(benchmark::State& state, const json& w, bool train) {
    Generator gen(1);
    Row r = make_row(w, train, gen);
    Tensor grad;
    for (auto _ : state) {
        if (!train) {
            NoGradGuard no_grad;
            benchmark::DoNotOptimize(r.layer(r.inputs).data().data());
            continue;
        }
        Tensor y = r.layer(r.inputs);
        if (!grad.defined()) grad = ones(y.shape());
        y.backward(grad);
        for (auto& t : r.inputs) t.set_grad(Tensor());  // as optimizer.zero_grad(set_to_none=True)
    }
    if (r.flops > 0)  // a backward's two GEMMs per layer cost twice the forward's
        state.counters["GFLOP/s"] = benchmark::Counter(r.flops * (train ? 3.0 : 1.0) * 1e-9,
                                                       benchmark::Counter::kIsIterationInvariantRate);
    if (r.bytes > 0)
        state.counters["GB/s"] = benchmark::Counter((train ? r.train_bytes : r.bytes) * 1e-9,
                                                    benchmark::Counter::kIsIterationInvariantRate);
}

// The GEMM a convolution's im2col reduces to, through the same BLAS call ("forward"), or through
// nnkit's own packed GEMM ("packed", nnkit/kernels/packed_gemm.hpp, no PyTorch row).
void run_sgemm(benchmark::State& state, const json& w, bool packed) {
    const std::size_t M = w.at("M"), N = w.at("N"), K = w.at("K");
    std::vector<float> a(M * K, 0.5f), b(K * N, 0.25f), c(M * N);
    for (auto _ : state) {
        if (packed) packed::sgemm(false, false, M, N, K, 1.0f, a.data(), b.data(), 0.0f, c.data());
        else blas::gemm<float>(false, false, M, N, K, 1.0f, a.data(), b.data(), 0.0f, c.data());
        benchmark::DoNotOptimize(c.data());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * double(M * N * K) * 1e-9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

void register_all() {
    std::ifstream in(NNKIT_WORKLOADS);
    if (!in) throw std::runtime_error(std::string("cannot read ") + NNKIT_WORKLOADS);
    const json all = json::parse(in);
    for (const auto& w : all.at("workloads")) {
        const std::string name = w.at("name");
        if (w.at("op") == "sgemm") {
            benchmark::RegisterBenchmark((name + "/forward").c_str(), [w](benchmark::State& s) { run_sgemm(s, w, false); })
                ->Unit(benchmark::kMillisecond);
            benchmark::RegisterBenchmark((name + "/packed").c_str(), [w](benchmark::State& s) { run_sgemm(s, w, true); })
                ->Unit(benchmark::kMillisecond);
            continue;
        }
        benchmark::RegisterBenchmark((name + "/forward").c_str(),
                                     [w](benchmark::State& s) { run_layer(s, w, false); })
            ->Unit(benchmark::kMillisecond);
        if (w.value("train", false))
            benchmark::RegisterBenchmark((name + "/train").c_str(), [w](benchmark::State& s) { run_layer(s, w, true); })
                ->Unit(benchmark::kMillisecond);
    }
}

}  // namespace

int main(int argc, char** argv) {
    // `nnkit_bench --blas`: which BLAS and which OpenBLAS kernels this process uses (run_bench.py
    // gives PyTorch's OpenBLAS the same kernels, so the two libraries compare on one BLAS).
    if (argc == 2 && std::string(argv[1]) == "--blas") {
        std::printf("%s; packed GEMM micro-kernel: %s\n", blas::backend().c_str(), packed::isa_name(packed::isa()));
        return 0;
    }
    // `nnkit_bench --limits N`: this machine's limits on N threads, as one JSON line.
    if (argc == 3 && std::string(argv[1]) == "--limits") {
        bench::Limits l;
        try {
            l = bench::measure_limits(std::stoi(argv[2]));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "nnkit_bench --limits N: N must be a thread count of at least 1 (%s)\n", e.what());
            return 2;
        }
        std::printf("%s\n", json{{"threads", std::atoi(argv[2])}, {"isa", l.isa}, {"fma_gflops", l.fma_gflops},
                                 {"bandwidth_gbs", l.bandwidth_gbs}}.dump().c_str());
        return 0;
    }
    benchmark::AddCustomContext("blas", blas::backend());
    register_all();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

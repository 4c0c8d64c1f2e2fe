/**
 * An independent numpy (f64) transcription of the original PyTorch training (trainer.py, tracker.py)
 * for tests: full-batch Adam or GD steps, the ridge read-out with either read-out feature setting
 * ('reference': the original code's double division by sqrt(d); 'paper'), KTA with n x n matrices,
 * sim(W, beta*) from a full SVD, and the Hill alpha. Reads JSON on stdin ({options: TrainOptions,
 * xTrain, yTrain, xProbe, yProbe, xTest, yTest, initialW, initialA, beta}, arrays row-major) and
 * prints one record per step (0 .. numEpochs). Run it with runPython (src/testing/oracle.ts).
 */
export const TRAIN_ORACLE = String.raw`
import json, sys
import numpy as np
p = json.load(sys.stdin)
o = p['options']
n, d, h = o['numTrain'], o['inputDim'], o['hiddenDim']
X = np.array(p['xTrain']).reshape(n, d); y = np.array(p['yTrain'])
Xp = np.array(p['xProbe']).reshape(n, d); yp = np.array(p['yProbe'])
Xt = np.array(p['xTest']).reshape(-1, d); yt = np.array(p['yTest'])
W = np.array(p['initialW']).reshape(h, d); a = np.array(p['initialA']); beta = np.array(p['beta'])
lr, wd, mu = o['learningRate'], o['weightDecay'], o['momentum']
def feats(W, X):
    # 'reference': the original code divides the hooked pre-activation by sqrt(d) twice
    pre = X @ W.T / d if o['readoutFeatures'] == 'reference' else X @ W.T / np.sqrt(d)
    return np.tanh(pre) / np.sqrt(h)
def probe(W):
    Z = feats(W, Xp)
    ahat = np.linalg.inv(Z.T @ Z + (o['regLambda'] / h) * n * np.eye(h)) @ Z.T @ yp
    train_loss = np.mean((Z @ ahat - yp) ** 2)
    test_loss = np.mean((feats(W, Xt) @ ahat - yt) ** 2)
    K = Z @ Z.T; Ky = np.outer(yp, yp)
    kta = np.sum(K * Ky) / (np.linalg.norm(K) * np.linalg.norm(Ky))
    U, S, Vh = np.linalg.svd(W, full_matrices=False)
    sim = abs(Vh[0] @ beta) / np.linalg.norm(Vh[0])
    eigs = np.sort(S ** 2); N = len(eigs); i = N // 2; nt = N - i
    alpha = 1 + nt / (np.sum(np.log(eigs[i:])) - nt * np.log(eigs[i]))
    return dict(train_loss=train_loss, test_loss=test_loss, kta=kta, alignment=sim, alpha_hill=alpha)
out = [probe(W)]
m = np.zeros_like(W); v = np.zeros_like(W); buf = None
for t in range(1, o['numEpochs'] + 1):
    A = np.tanh(X @ W.T / np.sqrt(d)); r = A @ a / np.sqrt(h) - y
    G = (2 / n) * ((np.outer(r, a) / np.sqrt(h)) * (1 - A ** 2)).T @ X / np.sqrt(d)
    g = G + wd * W
    if o['optimizer'] == 'adam':
        m = 0.9 * m + 0.1 * g; v = 0.999 * v + 0.001 * g * g
        W = W - lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    else:
        buf = g if buf is None else mu * buf + g
        W = W - lr * buf
    out.append(probe(W))
print(json.dumps(out))
`;

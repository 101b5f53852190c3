"""Writes the fixture notebooks in this folder (nbformat 4, with stored outputs drawn here
pixel by pixel). Run from this folder: python3 make_fixtures.py"""
import json, zlib, struct, base64

def png(w, h, pixel):
    raw = b''.join(b'\x00' + b''.join(bytes(pixel(x, y)) for x in range(w)) for y in range(h))
    def chunk(t, d):
        c = struct.pack('>I', len(d)) + t + d
        return c + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')

def parabola(w=480, h=300):
    pts = set()
    for px in range(40, w - 20):
        x = (px - 40) / (w - 60) * 6
        y = (x - 3) ** 2
        py = int(h - 30 - y / 9 * (h - 60))
        for d in range(-1, 2):
            pts.add((px, py + d))
    def pixel(x, y):
        if (x, y) in pts: return (37, 99, 235)
        if x == 40 and 20 <= y <= h - 30 or y == h - 30 and 40 <= x <= w - 20: return (60, 60, 60)
        if (x - 40) % 60 == 0 and y < h - 30 and y % 4 == 0: return (210, 210, 210)
        return (255, 255, 255)
    return png(w, h, pixel)

def sketch():
    def pixel(x, y):
        if (x - 80) ** 2 + (y - 60) ** 2 < 45 ** 2: return (234, 88, 12)
        if 150 < x < 230 and 30 < y < 90: return (22, 163, 74)
        return (250, 250, 245)
    return png(260, 120, pixel)

def lines(text):
    parts = text.split('\n')
    return [p + '\n' for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])

def md(text, **meta):
    return {"cell_type": "markdown", "metadata": meta, "source": lines(text)}

def code(text, outputs=(), n=None, **meta):
    return {"cell_type": "code", "execution_count": n, "metadata": meta, "outputs": list(outputs), "source": lines(text)}

def raw(text, **meta):
    return {"cell_type": "raw", "metadata": meta, "source": lines(text)}

def nb(cells, **meta):
    m = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
         "language_info": {"name": "python", "version": "3.11.7"}}
    m.update(meta)
    return {"cells": cells, "metadata": m, "nbformat": 4, "nbformat_minor": 5}

def stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": lines(text)}

def display(data, kind="display_data", n=None):
    o = {"output_type": kind, "data": data, "metadata": {}}
    if kind == "execute_result": o["execution_count"] = n
    return o

svg = ('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="360" height="200" viewBox="0 0 360 200">\n'
       '<rect width="360" height="200" fill="#ffffff"/>\n'
       + ''.join(f'<rect x="{30 + i * 55}" y="{180 - h}" width="40" height="{h}" fill="#0f766e"/>\n' for i, h in enumerate([40, 70, 95, 150, 160, 165]))
       + '<line x1="20" y1="180" x2="350" y2="180" stroke="#333" stroke-width="2"/>\n</svg>\n')

table_html = '''<div>
<style scoped>
    .dataframe tbody tr th:only-of-type { vertical-align: middle; }
    .dataframe thead th { text-align: right; }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>learning rate</th>
      <th>steps</th>
      <th>final loss</th>
    </tr>
  </thead>
  <tbody>
    <tr><th>0</th><td>0.01</td><td>412</td><td>0.0031</td></tr>
    <tr><th>1</th><td>0.1</td><td>38</td><td>0.0009</td></tr>
    <tr><th>2</th><td>0.9</td><td>17</td><td>0.0012</td></tr>
    <tr><th>3</th><td>1.1 (diverges)</td><td>&mdash;</td><td>inf</td></tr>
  </tbody>
</table>
</div>'''

trace = ["\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
         "\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback (most recent call last)",
         "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"]

gradient = nb([
    code("import numpy as np\nimport matplotlib.pyplot as plt", tags=["remove-cell"]),
    md("# Gradient descent, by hand\n\nA worked example for week 3 — every plot below was stored in the notebook."),
    md("## The loss surface\n\nWe minimise $f(x) = (x - 3)^2$, whose gradient is $f'(x) = 2(x - 3)$."),
    code("xs = np.linspace(0, 6, 200)\nplt.plot(xs, (xs - 3) ** 2)\nplt.show()", n=2, outputs=[
        display({"image/png": base64.encodebytes(parabola()).decode(), "text/plain": ["<Figure size 640x400 with 1 Axes>"]})]),
    md("## Taking steps\n\nEach step moves *against* the gradient:"),
    code("x, lr = 0.0, 0.25\nfor step in range(4):\n    x -= lr * 2 * (x - 3)\n    print(f\"step {step}: x = {x:.4f}\")", n=3,
         outputs=[stream("step 0: x = 1.5000\nstep 1: x = 2.2500\n"), stream("step 2: x = 2.6250\nstep 3: x = 2.8125\n")]),
    md("## How fast it gets there"),
    code("#| echo: false\n#| fig-cap: \"Loss after each step\"\nplot_losses(history)", n=4,
         outputs=[display({"image/svg+xml": lines(svg), "text/plain": ["<Figure size 360x200 with 1 Axes>"]})]),
    md("## Learning rates compared"),
    code("results", n=5, outputs=[display({"text/html": lines(table_html), "text/plain": ["   learning rate  steps  final loss\n0  0.01  412  0.0031"]}, "execute_result", 5)]),
    md("## When the step is too large\n\nA rate above 1 diverges, and dividing by a zero step size fails:"),
    code("step_size = 0\n1 / step_size", n=6, outputs=[{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": trace}]),
    md("## The closed form"),
    code("sympy.solve(sympy.diff((x - 3)**2, x), x)", n=7, tags=["remove-input"],
         outputs=[display({"text/latex": ["$\\displaystyle x = 3$"], "text/plain": ["[3]"]}, "execute_result", 7)]),
    code("#| output: false\nhistory = run(lr=0.25, steps=50)", n=8, outputs=[stream("50 steps done\n")]),
    md("## On the whiteboard\n\n![sketch of the bowl](attachment:sketch.png)\n\nThe ball rolls to the bottom of the bowl.") | {"attachments": {"sketch.png": {"image/png": base64.b64encode(sketch()).decode()}}},
], title="Gradient descent, by hand", authors=[{"name": "Ada Lovelace"}])

problems = nb([
    md("# Things that go wrong\n\n## Widgets"),
    code("slider = widgets.IntSlider()\nslider", n=1, outputs=[display({"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0}}, "execute_result", 1)]),
    code("mystery()", n=2, outputs=[{"output_type": "pager", "data": {}}]),
    md("## A formula\n\nThe sum\n\n$$\\notacommand{x} + 1$$\n\nis not LaTeX."),
    code("for i in range(60):\n    print(i)", n=3, outputs=[stream("".join(f"{i}\n" for i in range(60)))]),
    raw("\\newpage", format="text/latex"),
])

rise = nb([
    md("# Quick tour", slideshow={"slide_type": "slide"}),
    md("## First slide\n\nOpening words.", slideshow={"slide_type": "slide"}),
    md("- a point that comes later", slideshow={"slide_type": "fragment"}),
    md("Remember to ask the room.", slideshow={"slide_type": "notes"}),
    md("A cell nobody sees.", slideshow={"slide_type": "skip"}),
    md("### Deeper detail\n\nStill its own slide: a subslide.", slideshow={"slide_type": "subslide"}),
    code("print('same slide as the detail')", n=1, outputs=[stream("same slide as the detail\n")], slideshow={"slide_type": "-"}),
    md("## Last slide\n\n### A subheading, not a new slide\n\nText.", slideshow={"slide_type": "slide"}),
])

quarto = nb([
    raw("---\ntitle: \"Sampling, Quarto style\"\nauthor: Grace Hopper\nlang: de\nformat: revealjs\nexecute:\n  echo: false\n---"),
    md("## Setup"),
    code("#| include: false\nimport random", n=1),
    code("#| echo: false\nprint(\"Nur die Ausgabe\")", n=2, outputs=[stream("Nur die Ausgabe\n")]),
    code("#| echo: true\n#| output: false\nrandom.seed(1)\nprint(\"hidden\")", n=3, outputs=[stream("hidden\n")]),
    code("#| eval: false\nrandom.choice(['a', 'b'])", n=None),
    md("## Ergebnis\n\nDer Würfel zeigt:"),
    code("#| echo: true\nrandom.randint(1, 6)", n=4, outputs=[display({"text/plain": ["4"]}, "execute_result", 4)]),
], title="Ignored: the raw cell's title wins")

for name, book in [("gradient", gradient), ("problems", problems), ("rise", rise), ("quarto", quarto)]:
    with open(f"{name}.ipynb", "w") as f:
        json.dump(book, f, indent=1, ensure_ascii=False)
        f.write("\n")

gif = base64.b64encode(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xfc\x6a\x6c\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;").decode()
vector = "\n".join(f"{k}. {k + 11}" for k in range(1, 31))
r_demo = nb([
    md("A first look at R, cell by cell, with no headings at all: the deck is cut where slides fill up."),
    code("a <- 12:41\na", n=1, outputs=[display({"text/markdown": [vector], "text/plain": ["[1] 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36\n[26] 37 38 39 40 41"],
                                                "text/html": ["<ol><li>12</li></ol>"]}, "execute_result", 1)]),
    md("Vectors print on one line. A sum of two vectors is taken element by element, and a help page uses overstrike for bold:"),
    code("help(sum)", n=2, outputs=[stream("_\bs_\bu_\bm   package:base\n\nSum of Vector Elements\n")]),
    md("Plots come out as pictures, whatever their container says they are."),
    code("plot(a)", n=3, outputs=[display({"image/png": base64.encodebytes(parabola(360, 220)).decode(), "text/plain": ["plot without title"]})]),
    code("tiny_gif()", n=4, outputs=[display({"image/png": gif, "text/plain": ["a one-pixel GIF"]})]),
    code("svg_circle()", n=5, outputs=[display({"image/svg+xml": "<svg width=\"120\" height=\"60\"><circle r=\"25\" cx=\"60\" cy=\"30\" fill=\"#b45309\"/></svg>", "text/plain": ["A circle"]})]),
    md("Errors stop a cell; the notebook keeps only the message."),
    code("stop('deep error')", n=6, outputs=[{"output_type": "error", "ename": "ERROR", "evalue": "Error in eval(expr, envir, enclos): deep error", "traceback": ["Error in eval(expr, envir, enclos): deep error\nTraceback:\n"]}]),
    md("A data frame is a table:"),
    code("head(cars, 3)", n=7, outputs=[display({"text/html": ["<table>\n<thead><tr><th></th><th scope=col>speed</th><th scope=col>dist</th></tr></thead>\n<tbody>\n\t<tr><th scope=row>1</th><td>4</td><td> 2</td></tr>\n\t<tr><th scope=row>2</th><td>4</td><td>10</td></tr>\n\t<tr><th scope=row>3</th><td>7</td><td> 4</td></tr>\n</tbody>\n</table>\n"],
                                                 "text/markdown": ["| speed | dist |\n|---|---|\n| 4 | 2 |"], "text/plain": ["  speed dist\n1     4    2"]}, "execute_result", 7)]),
    md("That is all for a first look. " * 6),
], kernelspec={"display_name": "R", "language": "R", "name": "ir"}, language_info={"name": "R"})

with open("r-demo.ipynb", "w") as f:
    json.dump(r_demo, f, indent=1, ensure_ascii=False)
    f.write("\n")

# Constructs that tripped earlier versions, one cell each.
wide_header = "".join(f"<th>c{k}</th>" for k in range(20))
wide_row = "".join(f"<td>{k}.5</td>" for k in range(20))
tall_rows = "".join(f"<tr><th>{k}</th><td>{k * 3}</td><td>{k * k}</td></tr>" for k in range(20))
red = base64.b64encode(png(8, 8, lambda x, y: (200, 30, 30))).decode()
blue = base64.b64encode(png(8, 8, lambda x, y: (30, 30, 200))).decode()
edges = nb([
    md("---\nWelcome\n---\n\nThis notebook opens with a rule and a heading line, not with settings."),
    md("<h2 id=\"algebra\">Algebra<a class=\"anchor-link\" href=\"#algebra\">¶</a></h2>\n\nAn HTML heading opens a slide as a Markdown one does."),
    code("squares", n=1, outputs=[display({"text/html": [f"<table><thead><tr><th></th><th>x</th><th>x²</th></tr></thead><tbody>{tall_rows}</tbody></table>"], "text/plain": ["..."]}, "execute_result", 1)]),
    md("## Formulas\n\nA negative fraction and an aligned pair:"),
    code("Rational(-1, 6)", n=2, outputs=[display({"text/latex": ["$$- \\frac{1}{6}$$"], "text/plain": ["-1/6"]}, "execute_result", 2)]),
    code("Latex(r'\\begin{align}a &= b \\\\ c &= d\\end{align}')", n=3, outputs=[display({"text/latex": ["\\begin{align}\n", "a &= b \\\\\n", "\n", "c &= d\n", "\\end{align}"], "text/plain": ["<IPython.core.display.Latex object>"]})]),
    md("## Browser things\n\nA style sheet and a map need a browser:"),
    code("HTML(css)", n=4, outputs=[display({"text/html": ["<style>\n", "\n", "circle { fill: red; }\n", "\n", "</style>\n", "<b>Styled</b> text"], "text/plain": ["<IPython.core.display.HTML object>"]})]),
    code("folium.Map()", n=5, outputs=[display({"text/html": ["<div><span>Make this Notebook Trusted to load map: File -> Trust Notebook</span><iframe srcdoc=\"x\"></iframe></div>"], "text/plain": ["<folium.folium.Map at 0x7f>"]}, "execute_result", 5)]),
    md("## A wide table"),
    code("wide", n=6, outputs=[display({"text/html": [f"<table><tr>{wide_header}</tr><tr>{wide_row}</tr></table>"], "text/plain": ["..."]}, "execute_result", 6)]),
    md("## Open constructs\n\n```x``` is an inline code span on a line of its own."),
    code("print('still code')", n=7, outputs=[stream("still code\n")]),
    md("::: notes\nA notes div never closed in its cell."),
    md("<!-- a comment never closed"),
    md("Two pasted images whose names read alike once made file names: ![one](attachment:图.png) ![two](attachment:表.png)") | {"attachments": {"图.png": {"image/png": red}, "表.png": {"image/png": blue}}},
], title="Edge cases", lectern={"title": "Edge cases, from lectern", "theme": "dusk"})

with open("edges.ipynb", "w") as f:
    json.dump(edges, f, indent=1, ensure_ascii=False)
    f.write("\n")

# Prose written for reading, not for slides: a long introduction under the title and a
# cell of many paragraphs, each longer than a slide line.
sentence = "Resampling the sample we have stands in for drawing new samples from a population we cannot reach again, "
paragraph = lambda k: f"Paragraph {k}. " + sentence * 3
long_prose = nb([
    md("# Reading notes on the bootstrap\n\n" + "\n\n".join(paragraph(k) for k in range(1, 5))),
    md("## Why resampling works\n\n" + "\n\n".join(paragraph(k) for k in range(5, 17))),
    code("resample(sample, 1000)", n=1, outputs=[stream("mean of means: 4.98\n")]),
])

with open("long-prose.ipynb", "w") as f:
    json.dump(long_prose, f, indent=1, ensure_ascii=False)
    f.write("\n")
